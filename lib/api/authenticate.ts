import "server-only";
import { ApiError } from "@/lib/api/errors";
import { authenticateApiKey } from "@/lib/auth/authenticate-api-key";

/** The caller's project, from `Authorization: Bearer <key>`; every /api/v1 route starts here. */
export async function requireProject(request: Request): Promise<{ projectId: string }> {
  const caller = await authenticateApiKey(request.headers.get("authorization"));
  if (!caller) throw new ApiError("unauthorized", "Missing or invalid API key: send `Authorization: Bearer <key>`.");
  return { projectId: caller.projectId };
}
