"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useTransition } from "react";
import { isViewParamKey, parseViewParams, serializeViewParams, type ViewParams } from "@/lib/dashboard/view-params";

/** Page parameters that mean nothing once the view changes (a cursor points into the old list). */
const RESET_ON_VIEW_CHANGE: ReadonlySet<string> = new Set(["cursor"]);

/**
 * The view in the URL, and a way to change it: pushes the new URL (a history entry, so Back undoes
 * a filter) inside a transition, so the current screen stays interactive while the next renders.
 */
export function useViewNavigation() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [isPending, startTransition] = useTransition();
  const view = useMemo(() => parseViewParams(searchParams), [searchParams]);

  function navigate(next: ViewParams) {
    const params = serializeViewParams(next);
    searchParams.forEach((value, key) => {
      if (!isViewParamKey(key) && !RESET_ON_VIEW_CHANGE.has(key)) params.append(key, value);
    });
    const query = params.toString();
    startTransition(() => router.push(query ? `${pathname}?${query}` : pathname, { scroll: false }));
  }

  function refresh() {
    startTransition(() => router.refresh());
  }

  return { view, navigate, refresh, isPending };
}
