import { requireProject } from "@/lib/api/authenticate";
import { errorResponse } from "@/lib/api/errors";
import { getIngestStats } from "@/lib/ingest/record-stats";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const { projectId } = await requireProject(request);
    return Response.json({ data: await getIngestStats(projectId) });
  } catch (error) {
    return errorResponse(error);
  }
}
