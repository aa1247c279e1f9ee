"use client";

import { ScreenError } from "@/components/shell/screen-error";

export default function TracesError({ reset }: { error: Error; reset: () => void }) {
  return <ScreenError what="The traces" reset={reset} />;
}
