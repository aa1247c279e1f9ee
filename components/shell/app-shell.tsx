import Link from "next/link";
import { Suspense } from "react";
import { NavLinks, NavLinksFallback } from "@/components/shell/nav-links";
import { ThemeToggle } from "@/components/theme/theme-toggle";

/**
 * The frame around every screen: the navigation (a sidebar on a laptop, a scrolling bar on a
 * phone) and the theme toggle. Each page renders its own header (components/shell/dashboard-header)
 * because the toolbar needs the page's project and range.
 */
export function AppShell({ children }: { children: React.ReactNode }) {
  return (
    <div className="min-h-screen md:flex">
      <aside className="border-b border-zinc-200 bg-zinc-50/80 md:w-52 md:shrink-0 md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-950">
        <div className="px-3 py-2 md:sticky md:top-0 md:flex md:h-screen md:flex-col md:py-4">
          <div className="flex items-center justify-between gap-3 md:mb-6 md:block">
            <Link href="/" className="flex items-center gap-2 px-2 text-lg font-semibold tracking-tight">
              <span aria-hidden className="inline-block size-2.5 rounded-full bg-[var(--chart-2)]" />
              Sous
            </Link>
            <div className="md:hidden">
              <ThemeToggle />
            </div>
          </div>
          <nav aria-label="Screens" className="mt-2 md:mt-0 md:flex-1">
            <Suspense fallback={<NavLinksFallback />}>
              <NavLinks />
            </Suspense>
          </nav>
          <div className="hidden px-2 md:block">
            <ThemeToggle />
          </div>
        </div>
      </aside>
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
