import { requireProject } from "@/lib/api/authenticate";
import { errorResponse } from "@/lib/api/errors";
import { getSummary } from "@/lib/analytics/get-summary";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const { projectId } = await requireProject(request);
    return Response.json(await getSummary(projectId, new URL(request.url).searchParams));
  } catch (error) {
    return errorResponse(error);
  }
}
