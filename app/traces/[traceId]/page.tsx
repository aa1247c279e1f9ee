import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TraceDetail } from "@/components/traces/trace-detail";
import { resolveDashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import type { SearchParamsInput } from "@/lib/dashboard/view-params";
import { getTrace } from "@/lib/traces/get-trace";
import { parseSelectedSpanId } from "@/lib/traces/trace-list-params";

export async function generateMetadata({ params }: { params: Promise<{ traceId: string }> }): Promise<Metadata> {
  return { title: `Trace ${(await params).traceId.slice(0, 12)}` };
}

export default async function TracePage({
  params,
  searchParams,
}: {
  params: Promise<{ traceId: string }>;
  searchParams: Promise<SearchParamsInput>;
}) {
  const [{ traceId }, query] = await Promise.all([params, searchParams]);
  const context = await resolveDashboardContext(query);
  const trace = await getTrace(context.project.id, traceId);
  if (!trace) notFound();
  return <TraceDetail context={context} trace={trace} selectedSpanId={parseSelectedSpanId(query)} />;
}
