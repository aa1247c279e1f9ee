import Link from "next/link";

/**
 * A small set of mutually exclusive choices that live in the URL (a chart's "by model / by
 * service"), as links: they work before hydration, can be opened in a new tab, and Back undoes
 * them. The current one carries aria-current.
 *
 *   <SegmentedLinks label="Break down by" options={[{ label: "Model", href: "/cost?by=model", isActive: true }, …]} />
 */
export interface SegmentedLinkOption {
  label: string;
  href: string;
  isActive: boolean;
}

export function SegmentedLinks({ label, options, testId }: { label: string; options: readonly SegmentedLinkOption[]; testId?: string }) {
  return (
    <nav aria-label={label} className="flex items-center gap-2 text-xs" data-testid={testId}>
      <span className="hidden text-zinc-500 sm:inline dark:text-zinc-400">{label}</span>
      <ul className="flex flex-wrap rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700">
        {options.map((option) => (
          <li key={option.href}>
            <Link
              href={option.href}
              scroll={false}
              aria-current={option.isActive ? "true" : undefined}
              className={`block rounded px-2 py-1 whitespace-nowrap ${
                option.isActive
                  ? "bg-zinc-900 font-medium text-white dark:bg-zinc-100 dark:text-zinc-900"
                  : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
              }`}
            >
              {option.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
