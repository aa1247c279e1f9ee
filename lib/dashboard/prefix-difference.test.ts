import { describe, expect, it } from "vitest";
import { markDifference } from "@/lib/dashboard/prefix-difference";

// The detector's firstDifference (lib/cache/find-cache-busters), restated so these cases use the
// exact snippets it produces.
function firstDifference(a: string, b: string, context = 40) {
  let offset = 0;
  while (offset < a.length && offset < b.length && a[offset] === b[offset]) offset++;
  const start = Math.max(0, offset - context);
  const cut = (text: string) => `${start > 0 ? "…" : ""}${text.slice(start, offset + context)}${offset + context < text.length ? "…" : ""}`;
  return { offset, before: cut(a), after: cut(b) };
}

const joined = (snippet: { head: string; changed: string; tail: string }) => snippet.head + snippet.changed + snippet.tail;

describe("markDifference", () => {
  it("marks a timestamp at the front of a system prompt as one word", () => {
    const example = firstDifference("Current time: 10:01. You draft emails.", "Current time: 10:02. You draft emails.");
    const marked = markDifference(example);
    expect(marked.before).toEqual({ head: "Current time: ", changed: "10:01", tail: ". You draft emails." });
    expect(marked.after).toEqual({ head: "Current time: ", changed: "10:02", tail: ". You draft emails." });
  });

  it("keeps the ellipses of cut snippets outside the marked part", () => {
    const stable = "You are a helpful assistant for the billing team. ";
    const a = `${stable}User: alice. Answer briefly and cite the policy section you used in every answer.`;
    const b = `${stable}User: bob. Answer briefly and cite the policy section you used in every answer.`;
    const example = firstDifference(a, b);
    expect(example.before.startsWith("…")).toBe(true);
    const marked = markDifference(example);
    expect(marked.before.changed).toBe("alice");
    expect(marked.after.changed).toBe("bob");
    expect(marked.before.head.startsWith("…")).toBe(true);
    expect(marked.before.tail.endsWith("…")).toBe(true);
    expect(joined(marked.before)).toBe(example.before);
    expect(joined(marked.after)).toBe(example.after);
  });

  it("marks everything after the difference when the texts do not realign", () => {
    const example = firstDifference("Today is Monday and the menu is soup", "Today is Tuesday, closed");
    const marked = markDifference(example);
    expect(marked.before.head).toBe("Today is ");
    expect(marked.before.changed).toBe("Monday and the menu is soup");
    expect(marked.after.changed).toBe("Tuesday, closed");
  });

  it("handles one text being a prefix of the other", () => {
    const marked = markDifference(firstDifference("Hello", "Hello world"));
    expect(marked.before).toEqual({ head: "Hello", changed: "", tail: "" });
    expect(marked.after).toEqual({ head: "Hello", changed: " world", tail: "" });
  });

  it("keeps a decimal number whole but not a sentence's full stop", () => {
    const marked = markDifference(firstDifference("Version 1.5. Go.", "Version 1.6. Go."));
    expect(marked.before.changed).toBe("1.5");
    expect(marked.after.changed).toBe("1.6");
    expect(marked.before.tail).toBe(". Go.");
  });
});
