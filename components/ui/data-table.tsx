/**
 * A plain, responsive table: columns say how to render a cell and how to align it (numbers right,
 * tabular figures). It scrolls sideways on a phone instead of squeezing.
 *
 *   <DataTable rows={traces} rowKey={(trace) => trace.traceId} columns={[
 *     { key: "name", header: "Trace", cell: (trace) => trace.rootName },
 *     { key: "duration", header: "Duration", align: "right", cell: (trace) => formatMs(trace.durationMs) },
 *   ]} />
 *
 * No hooks: it renders on the server (cells may contain links) or inside client components.
 */
export interface DataTableColumn<Row> {
  key: string;
  header: React.ReactNode;
  cell: (row: Row) => React.ReactNode;
  align?: "left" | "right";
  /** Hidden below the `md` breakpoint (secondary columns on a phone). */
  isSecondary?: boolean;
  className?: string;
}

export interface DataTableProps<Row> {
  columns: readonly DataTableColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  caption?: string;
  /** Shown in place of the body when there are no rows. */
  empty?: React.ReactNode;
  rowTestId?: string;
  testId?: string;
  rowClassName?: (row: Row) => string;
}

export function DataTable<Row>({ columns, rows, rowKey, caption, empty, rowTestId, testId, rowClassName }: DataTableProps<Row>) {
  if (rows.length === 0 && empty) return <>{empty}</>;
  const cellClass = (column: DataTableColumn<Row>) =>
    `px-3 py-2 ${column.align === "right" ? "text-right tabular-nums" : "text-left"} ${column.isSecondary ? "hidden md:table-cell" : ""} ${column.className ?? ""}`;
  return (
    <div className="relative -mx-4 overflow-x-auto px-4">
      <table className="w-full border-collapse text-sm" data-testid={testId}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          <tr className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
            {columns.map((column) => (
              <th key={column.key} scope="col" className={`${cellClass(column)} font-medium whitespace-nowrap`}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={rowKey(row)}
              data-testid={rowTestId}
              className={`border-b border-zinc-100 last:border-0 hover:bg-zinc-50 dark:border-zinc-800/70 dark:hover:bg-zinc-800/30 ${rowClassName?.(row) ?? ""}`}
            >
              {columns.map((column) => (
                <td key={column.key} className={cellClass(column)}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
