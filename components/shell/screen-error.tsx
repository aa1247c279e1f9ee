"use client";

import { PanelError } from "@/components/ui/panel-states";

/** A whole screen that failed on the server (a route's error.tsx): what failed, where to look, and a retry. */
export function ScreenError({ what, reset }: { what: string; reset: () => void }) {
  return (
    <main className="p-4 md:p-6">
      <PanelError
        message={`${what} could not be loaded. The database may be unavailable; the details are in the server log.`}
        retry={
          <button type="button" onClick={reset} className="rounded-md border border-red-300 px-3 py-1 text-sm dark:border-red-800">
            Try again
          </button>
        }
      />
    </main>
  );
}
