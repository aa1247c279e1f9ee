/**
 * Times are shown in the project's reporting time zone (project settings `timeZone`, IANA, default
 * UTC), never in the server's or the browser's, so a screenshot, a shared link and the server render
 * all say the same thing. Formats are ISO-like ("2026-11-25 14:03:05"): unambiguous for everyone.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time of an instant in a time zone. */
export function wallTimeIn(date: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(date)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour === 24 ? 0 : parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

const pad = (value: number, length = 2) => String(value).padStart(length, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2026-11-25 14:03:05" in the zone. */
export function formatDateTime(date: Date, timeZone: string): string {
  const t = wallTimeIn(date, timeZone);
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

/** "14:03:05", or "14:03:05.123" with milliseconds (trace spans). */
export function formatTimeOfDay(date: Date, timeZone: string, options: { milliseconds?: boolean } = {}): string {
  const t = wallTimeIn(date, timeZone);
  const base = `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
  return options.milliseconds ? `${base}.${pad(date.getUTCMilliseconds(), 3)}` : base;
}

/**
 * A time-axis tick: "14:05" when the chart spans up to a day and a half, "Nov 25 14:00" up to a
 * week, "Nov 25" beyond.
 */
export function formatAxisTime(epochMs: number, timeZone: string, rangeMs: number): string {
  const t = wallTimeIn(new Date(epochMs), timeZone);
  const clock = `${pad(t.hour)}:${pad(t.minute)}`;
  const day = `${MONTHS[t.month - 1]} ${t.day}`;
  if (rangeMs <= 36 * 3600_000) return clock;
  if (rangeMs <= 7 * 24 * 3600_000) return `${day} ${clock}`;
  return day;
}

/** The value of an `<input type="datetime-local">` showing `date` in the zone: "2026-11-25T14:03". */
export function toZonedInputValue(date: Date, timeZone: string): string {
  const t = wallTimeIn(date, timeZone);
  return `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}`;
}

/** Milliseconds to add to UTC to get the zone's wall clock at that instant. */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const t = wallTimeIn(new Date(epochMs), timeZone);
  const wallAsUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return wallAsUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant a wall-clock time ("2026-11-25T14:03", seconds optional) names in the zone; null when
 * the text is not such a time. A time skipped by a daylight-saving jump resolves to the instant
 * after the jump; a repeated one to its first occurrence.
 */
export function fromZonedInputValue(value: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day! || hour! > 23 || minute! > 59) return null;
  // The offsets in force half a day before and after (a zone changes offset at most once in that
  // window): a time valid under both (fall-back repeat) takes the earlier instant, under one takes
  // it, under neither (spring-forward gap) is read with the offset before the jump.
  const before = zoneOffsetMs(wall - 12 * 3600_000, timeZone);
  const after = zoneOffsetMs(wall + 12 * 3600_000, timeZone);
  const valid = [before, after].filter((offset) => zoneOffsetMs(wall - offset, timeZone) === offset);
  return new Date(wall - (valid.length > 0 ? Math.max(...valid) : before));
}
