import type { IngestStat } from "@/lib/ingest/record-stats";

export function IngestStatus({ stats }: { stats: IngestStat[] }) {
  if (stats.length === 0) return null;
  return (
    <section>
      <h2 className="mb-3 text-lg font-medium">Ingest</h2>
      <table className="w-full text-left text-sm" data-testid="ingest-stats">
        <thead className="text-xs uppercase text-zinc-500">
          <tr>
            <th className="py-1">Service</th>
            <th className="py-1">Outcome</th>
            <th className="py-1 text-right">Spans</th>
            <th className="py-1">Last rejection</th>
          </tr>
        </thead>
        <tbody>
          {stats.map((stat) => (
            <tr key={`${stat.serviceName}-${stat.reason}`} className="border-t border-zinc-100 dark:border-zinc-800">
              <td className="py-1">{stat.serviceName}</td>
              <td className="py-1">{stat.reason === "" ? "accepted" : `rejected: ${stat.reason}`}</td>
              <td className="py-1 text-right tabular-nums">{stat.spanCount.toLocaleString("en-US")}</td>
              <td className="py-1 text-xs text-zinc-500">{stat.lastMessage ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
