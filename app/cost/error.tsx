"use client";

import { ScreenError } from "@/components/shell/screen-error";

export default function CostError({ reset }: { error: Error; reset: () => void }) {
  return <ScreenError what="The Cost screen" reset={reset} />;
}
