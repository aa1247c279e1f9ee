"use client";

import { ScreenError } from "@/components/shell/screen-error";

export default function CacheError({ reset }: { error: Error; reset: () => void }) {
  return <ScreenError what="The Cache screen" reset={reset} />;
}
