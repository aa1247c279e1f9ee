"use client";

import { ScreenError } from "@/components/shell/screen-error";

export default function PromptsError({ reset }: { error: Error; reset: () => void }) {
  return <ScreenError what="The prompt versions" reset={reset} />;
}
