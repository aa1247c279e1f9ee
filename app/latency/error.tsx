"use client";

import { PanelError } from "@/components/ui/panel-states";

export default function LatencyError({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="p-4 md:p-6">
      <PanelError
        message="The latency figures could not be loaded. The database may be unavailable; the details are in the server log."
        retry={
          <button type="button" onClick={reset} className="rounded-md border border-red-300 px-3 py-1 text-sm dark:border-red-800">
            Try again
          </button>
        }
      />
    </main>
  );
}
