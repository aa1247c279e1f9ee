import { requireProject } from "@/lib/api/authenticate";
import { errorResponse } from "@/lib/api/errors";
import { getTimeseries } from "@/lib/analytics/get-timeseries";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const { projectId } = await requireProject(request);
    return Response.json(await getTimeseries(projectId, new URL(request.url).searchParams));
  } catch (error) {
    return errorResponse(error);
  }
}
