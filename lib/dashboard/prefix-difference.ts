/**
 * The cache-buster detector's example (lib/cache/find-cache-busters: two captured system prompts
 * around where they first differ, `offset` characters in) split for display: the shared head, the
 * part that differs, and the shared tail, so the screen can mark what changes from call to call.
 * The differing part is widened to whole "words" (letters, digits, : - _ /, and a dot between
 * them) so a timestamp reads "10:02" rather than "2".
 */
export interface ExampleInput {
  offset: number;
  before: string;
  after: string;
}

export interface MarkedSnippet {
  head: string;
  changed: string;
  tail: string;
}

export interface MarkedExample {
  offset: number;
  before: MarkedSnippet;
  after: MarkedSnippet;
}

/** Must match the detector's `firstDifference` context. */
export const EXAMPLE_CONTEXT_CHARS = 40;
const ELLIPSIS = "…";
const WORD = /[\p{L}\p{N}:_\-/]/u;
const ALPHANUMERIC = /[\p{L}\p{N}]/u;

/** A word character, or a dot inside a number or name ("1.5", "v2.1"), not a sentence's full stop. */
function isWordAt(text: string, index: number): boolean {
  const char = text[index];
  if (char === undefined) return false;
  if (char === ".") return ALPHANUMERIC.test(text[index - 1] ?? "") && ALPHANUMERIC.test(text[index + 1] ?? "");
  return WORD.test(char);
}

export function markDifference(example: ExampleInput, context = EXAMPLE_CONTEXT_CHARS): MarkedExample {
  const [a, aCut] = withoutTrailingEllipsis(example.before);
  const [b, bCut] = withoutTrailingEllipsis(example.after);
  const start = Math.max(0, example.offset - context);
  // Where the texts part inside the snippets: after the leading "…" when the snippet was cut.
  let at = Math.min(example.offset - start + (start > 0 ? ELLIPSIS.length : 0), a.length, b.length);
  if (a.slice(0, at) !== b.slice(0, at)) at = commonPrefixLength(a, b);

  let [endA, endB] = realign(a, b, at);
  let head = at;
  if (isWordAt(a, at) || isWordAt(b, at)) {
    while (head > 0 && isWordAt(a, head - 1)) head--;
  }
  if (isWordAt(a, endA - 1) || isWordAt(b, endB - 1)) {
    while (endA < a.length && endB < b.length && a[endA] === b[endB] && isWordAt(a, endA)) {
      endA++;
      endB++;
    }
  }

  const split = (text: string, end: number, isCut: boolean): MarkedSnippet => ({
    head: text.slice(0, head),
    changed: text.slice(head, end),
    tail: text.slice(end) + (isCut ? ELLIPSIS : ""),
  });
  return { offset: example.offset, before: split(a, endA, aCut), after: split(b, endB, bCut) };
}

/** Texts count as back in step when this many characters agree again. */
const REALIGN_CHARS = 6;

/**
 * Where the differing parts end: the smallest stretch of each text after `at` past which the two
 * read alike again (REALIGN_CHARS equal characters, or both ending together). The snippets are
 * short (about 80 characters), so trying every pair is cheap.
 */
function realign(a: string, b: string, at: number): [number, number] {
  const restA = a.length - at;
  const restB = b.length - at;
  for (let skipped = 0; skipped <= restA + restB; skipped++) {
    for (let i = Math.max(0, skipped - restB); i <= Math.min(skipped, restA); i++) {
      const j = skipped - i;
      const leftA = restA - i;
      const leftB = restB - j;
      const isInStep =
        (leftA === 0 && leftB === 0) ||
        (leftA >= REALIGN_CHARS && leftB >= REALIGN_CHARS && a.startsWith(b.slice(at + j, at + j + REALIGN_CHARS), at + i)) ||
        (leftA === leftB && leftA < REALIGN_CHARS && a.slice(at + i) === b.slice(at + j));
      if (isInStep) return [at + i, at + j];
    }
  }
  return [a.length, b.length];
}

function withoutTrailingEllipsis(text: string): [string, boolean] {
  return text.endsWith(ELLIPSIS) ? [text.slice(0, -ELLIPSIS.length), true] : [text, false];
}

function commonPrefixLength(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}
