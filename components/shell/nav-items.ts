/**
 * The screens in the navigation, in order. Add a screen here when its page lands (DESIGN.md
 * "Screens": /latency, /cache, /cost, /prompts, /breakeven, /servers, /advisor, /reports, /settings).
 */
export interface NavItem {
  href: string;
  label: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/latency", label: "Latency" },
  { href: "/cache", label: "Cache" },
  { href: "/cost", label: "Cost" },
  { href: "/prompts", label: "Prompts" },
  { href: "/traces", label: "Traces" },
];

export function isNavItemActive(item: NavItem, pathname: string): boolean {
  return item.href === "/" ? pathname === "/" : pathname === item.href || pathname.startsWith(`${item.href}/`);
}
