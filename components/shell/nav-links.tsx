"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { isNavItemActive, NAV_ITEMS } from "@/components/shell/nav-items";
import { parseViewParams, viewHref } from "@/lib/dashboard/view-params";

/**
 * The screen links. They carry the view (project, range, filters, refresh) from screen to screen,
 * and drop page parameters (search text, cursors, selected span), which mean nothing elsewhere.
 */
export function NavLinks() {
  const pathname = usePathname();
  const view = parseViewParams(useSearchParams());
  return <NavList pathname={pathname} hrefFor={(href) => viewHref(href, view)} />;
}

/** Plain links, for the moment before the URL is known (Suspense fallback). */
export function NavLinksFallback() {
  return <NavList pathname="" hrefFor={(href) => href} />;
}

function NavList({ pathname, hrefFor }: { pathname: string; hrefFor: (href: string) => string }) {
  return (
    <ul className="flex gap-1 overflow-x-auto md:flex-col md:overflow-visible">
      {NAV_ITEMS.map((item) => {
        const isActive = isNavItemActive(item, pathname);
        return (
          <li key={item.href}>
            <Link
              href={hrefFor(item.href)}
              aria-current={isActive ? "page" : undefined}
              className={`block whitespace-nowrap rounded-md px-3 py-1.5 text-sm ${
                isActive
                  ? "bg-zinc-200/70 font-medium text-zinc-950 dark:bg-zinc-800 dark:text-white"
                  : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-900 dark:hover:text-zinc-100"
              }`}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
