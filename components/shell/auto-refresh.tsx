"use client";

import { useEffect, useRef } from "react";
import { REFRESH_INTERVAL_MS, REFRESH_INTERVALS, type RefreshInterval } from "@/lib/dashboard/view-params";
import { SELECT_CLASS } from "@/components/shell/project-switcher";

const LABELS: Record<RefreshInterval, string> = { off: "Refresh: off", "30s": "Refresh: 30 s", "1m": "Refresh: 1 min" };

/**
 * Re-renders the page on the server every interval while the tab is visible (a preset range moves
 * forward with now); nothing runs in a hidden tab.
 */
export function useAutoRefresh(interval: RefreshInterval, refresh: () => void): void {
  // `refresh` changes identity every render; the timer restarts only when the setting does.
  const latestRefresh = useRef(refresh);
  useEffect(() => {
    latestRefresh.current = refresh;
  });
  useEffect(() => {
    const ms = REFRESH_INTERVAL_MS[interval];
    if (ms === null) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") latestRefresh.current();
    }, ms);
    return () => window.clearInterval(timer);
  }, [interval]);
}

export function RefreshPicker({ value, onChange }: { value: RefreshInterval; onChange: (value: RefreshInterval) => void }) {
  return (
    <select
      aria-label="Auto-refresh"
      value={value}
      onChange={(event) => onChange(event.target.value as RefreshInterval)}
      className={SELECT_CLASS}
    >
      {REFRESH_INTERVALS.map((interval) => (
        <option key={interval} value={interval}>
          {LABELS[interval]}
        </option>
      ))}
    </select>
  );
}
