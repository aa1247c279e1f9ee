import { receiveTraces } from "@/lib/receiver/receive-traces";

export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return receiveTraces(request);
}
