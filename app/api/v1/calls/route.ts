import { requireProject } from "@/lib/api/authenticate";
import { errorResponse } from "@/lib/api/errors";
import { listCalls, parseListCallsQuery } from "@/lib/calls/list-calls";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const { projectId } = await requireProject(request);
    const query = parseListCallsQuery(new URL(request.url).searchParams);
    return Response.json(await listCalls(projectId, query));
  } catch (error) {
    return errorResponse(error);
  }
}
