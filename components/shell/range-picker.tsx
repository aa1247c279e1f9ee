"use client";

import { useEffect, useRef, useState } from "react";
import { fromZonedInputValue, toZonedInputValue } from "@/lib/format/times";
import {
  describeTimeRange,
  RANGE_PRESET_LABELS,
  RANGE_PRESETS,
  resolveTimeRange,
  type TimeRangeSelection,
} from "@/lib/dashboard/view-params";

interface RangePickerProps {
  range: TimeRangeSelection;
  /** The project's reporting time zone: custom times are typed and shown in it. */
  timeZone: string;
  onChange: (range: TimeRangeSelection) => void;
}

/** Presets relative to now, or a fixed from/to typed in the project's time zone. */
export function RangePicker({ range, timeZone, onChange }: RangePickerProps) {
  const [isOpen, setIsOpen] = useState(false);
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!container.current?.contains(event.target as Node)) setIsOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") setIsOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [isOpen]);

  function choose(next: TimeRangeSelection) {
    setIsOpen(false);
    onChange(next);
  }

  return (
    <div ref={container} className="relative">
      <button
        type="button"
        aria-haspopup="dialog"
        aria-expanded={isOpen}
        onClick={() => setIsOpen((open) => !open)}
        className="flex h-8 items-center gap-2 rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-xs hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
        data-testid="range-picker"
      >
        <span aria-hidden className="text-zinc-400">◷</span>
        <span>{describeTimeRange(range, timeZone)}</span>
      </button>
      {isOpen ? (
        <div
          role="dialog"
          aria-label="Time range"
          className="absolute left-0 z-30 mt-1 w-[min(22rem,calc(100vw-2rem))] rounded-lg border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <div className="grid grid-cols-2 gap-1">
            {RANGE_PRESETS.map((preset) => {
              const isCurrent = range.kind === "preset" && range.preset === preset;
              return (
                <button
                  key={preset}
                  type="button"
                  onClick={() => choose({ kind: "preset", preset })}
                  aria-pressed={isCurrent}
                  className={`rounded-md px-2 py-1.5 text-left text-sm ${
                    isCurrent
                      ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                      : "hover:bg-zinc-100 dark:hover:bg-zinc-800"
                  }`}
                >
                  {RANGE_PRESET_LABELS[preset]}
                </button>
              );
            })}
          </div>
          <CustomRangeForm range={range} timeZone={timeZone} onApply={choose} />
        </div>
      ) : null}
    </div>
  );
}

function CustomRangeForm({ range, timeZone, onApply }: { range: TimeRangeSelection; timeZone: string; onApply: (range: TimeRangeSelection) => void }) {
  // Start from what is on screen: a preset is shown as its current absolute range.
  const [initial] = useState(() => resolveTimeRange(range, new Date()));
  const [fromText, setFromText] = useState(() => toZonedInputValue(initial.from, timeZone));
  const [toText, setToText] = useState(() => toZonedInputValue(initial.to, timeZone));
  const from = fromZonedInputValue(fromText, timeZone);
  const to = fromZonedInputValue(toText, timeZone);
  const problem = !from || !to ? "Enter both times." : from.getTime() >= to.getTime() ? "“From” must be before “to”." : null;

  return (
    <form
      className="mt-3 space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-700"
      onSubmit={(event) => {
        event.preventDefault();
        if (from && to && !problem) onApply({ kind: "custom", from, to });
      }}
    >
      <p className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Custom range ({timeZone})</p>
      <label className="flex items-center justify-between gap-2 text-sm">
        From
        <input
          type="datetime-local"
          value={fromText}
          onChange={(event) => setFromText(event.target.value)}
          className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          aria-label="From"
        />
      </label>
      <label className="flex items-center justify-between gap-2 text-sm">
        To
        <input
          type="datetime-local"
          value={toText}
          onChange={(event) => setToText(event.target.value)}
          className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          aria-label="To"
        />
      </label>
      <div className="flex items-center justify-between gap-2">
        <span className="text-xs text-red-700 dark:text-red-400" role="status">
          {problem && fromText && toText ? problem : ""}
        </span>
        <button
          type="submit"
          disabled={problem !== null}
          className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm text-white disabled:opacity-40 dark:bg-zinc-100 dark:text-zinc-900"
        >
          Apply
        </button>
      </div>
    </form>
  );
}
