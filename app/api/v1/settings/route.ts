import { requireProject } from "@/lib/api/authenticate";
import { ApiError, errorResponse } from "@/lib/api/errors";
import { getProjectSettings, updateProjectSettings } from "@/lib/settings/project-settings";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const { projectId } = await requireProject(request);
    return Response.json({ data: await getProjectSettings(projectId) });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function PUT(request: Request) {
  try {
    const { projectId } = await requireProject(request);
    const body: unknown = await request.json().catch(() => {
      throw new ApiError("bad_request", "The body must be a JSON object of the settings to change.");
    });
    return Response.json({ data: await updateProjectSettings(projectId, body) });
  } catch (error) {
    return errorResponse(error);
  }
}
