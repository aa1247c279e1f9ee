"use client";

import { ScreenError } from "@/components/shell/screen-error";

export default function LatencyError({ reset }: { error: Error; reset: () => void }) {
  return <ScreenError what="The latency figures" reset={reset} />;
}
