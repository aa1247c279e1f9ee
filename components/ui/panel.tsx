/**
 * A titled card: the container of every panel, table and chart on the dashboards.
 * `actions` sit at the right of the title (a link, a toggle); `footer` under the content.
 */
export interface PanelProps {
  title: React.ReactNode;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  footer?: React.ReactNode;
  className?: string;
  /** Lets tests and links address the panel: rendered as data-testid. */
  testId?: string;
  children: React.ReactNode;
}

export function Panel({ title, description, actions, footer, className = "", testId, children }: PanelProps) {
  return (
    <section
      className={`min-w-0 rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900/40 ${className}`}
      data-testid={testId}
    >
      <div className="flex flex-wrap items-start justify-between gap-2 px-4 pt-3">
        <div className="min-w-0">
          <h2 className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{title}</h2>
          {description ? <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{description}</p> : null}
        </div>
        {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
      </div>
      <div className="px-4 pt-3 pb-4">{children}</div>
      {footer ? <div className="border-t border-zinc-100 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800">{footer}</div> : null}
    </section>
  );
}
