import { describe, expect, it } from "vitest";
import { selectTracePage, type TraceCandidate } from "@/lib/traces/select-trace-page";
import { decodeTraceCursor, encodeTraceCursor } from "@/lib/traces/trace-cursor";
import { containsPattern, parseTraceSearch, traceSearchCondition } from "@/lib/traces/trace-search";

const id = (n: number) => n.toString(16).padStart(32, "0");
const candidate = (n: number, time: string): TraceCandidate => ({ traceId: id(n), firstMatchTime: time });

describe("selectTracePage", () => {
  const times = ["2026-11-25T10:00:05.000000Z", "2026-11-25T10:00:04.000000Z", "2026-11-25T10:00:03.000000Z"];

  it("pages by limit and points the cursor at the last trace shown", () => {
    const page = selectTracePage([candidate(1, times[0]!), candidate(2, times[1]!), candidate(3, times[2]!)], { isCapped: false, floorTime: times[2]! }, 2);
    expect(page.traceIds).toEqual([id(1), id(2)]);
    expect(page.nextCursor).toEqual({ time: times[1], traceId: id(2) });
  });

  it("has no next page when the scan read everything and the page is not full", () => {
    const page = selectTracePage([candidate(1, times[0]!)], { isCapped: false, floorTime: times[0]! }, 2);
    expect(page).toEqual({ traceIds: [id(1)], nextCursor: null });
    expect(selectTracePage([], { isCapped: false, floorTime: null }, 2)).toEqual({ traceIds: [], nextCursor: null });
  });

  it("leaves a trace at the floor of a capped scan for the next page, and keeps paging", () => {
    const page = selectTracePage([candidate(1, times[0]!), candidate(2, times[2]!)], { isCapped: true, floorTime: times[2]! }, 5);
    expect(page.traceIds).toEqual([id(1)]);
    expect(page.nextCursor).toEqual({ time: times[0], traceId: id(1) });
  });

  it("keeps a single trace larger than the scan rather than showing nothing", () => {
    const page = selectTracePage([candidate(7, times[2]!)], { isCapped: true, floorTime: times[2]! }, 5);
    expect(page.traceIds).toEqual([id(7)]);
  });
});

describe("trace cursor", () => {
  it("round-trips and rejects anything else", () => {
    const cursor = { time: "2026-11-25T10:00:05.123456Z", traceId: id(42) };
    expect(decodeTraceCursor(encodeTraceCursor(cursor))).toEqual(cursor);
    expect(decodeTraceCursor("garbage")).toBeNull();
    expect(decodeTraceCursor(Buffer.from(`2026-11-25|${id(1)}`).toString("base64url"))).toBeNull();
    expect(decodeTraceCursor(Buffer.from(`2026-11-25T10:00:05Z|XYZ`).toString("base64url"))).toBeNull();
    expect(decodeTraceCursor(null)).toBeNull();
  });
});

describe("trace search", () => {
  it("recognizes whole trace ids and plain text", () => {
    expect(parseTraceSearch("  ")).toBeNull();
    expect(parseTraceSearch(id(255).toUpperCase())).toEqual({ text: id(255).toUpperCase(), traceId: id(255) });
    expect(parseTraceSearch("checkout")).toEqual({ text: "checkout", traceId: null });
  });

  it("builds parameterized conditions, never interpolated text", () => {
    const byId = traceSearchCondition(parseTraceSearch(id(3)));
    expect(byId.sql).toContain("trace_id = decode(?, 'hex')");
    expect(byId.values).toEqual([id(3)]);
    const byText = traceSearchCondition(parseTraceSearch("50%_off'; DROP"));
    expect(byText.values).toEqual(["%50\\%\\_off'; DROP%", "%50\\%\\_off'; DROP%"]);
    expect(byText.sql).not.toContain("DROP");
    const hexPrefix = traceSearchCondition(parseTraceSearch("abcd12"));
    expect(hexPrefix.values).toEqual(["%abcd12%", "%abcd12%", "abcd12%"]);
    expect(traceSearchCondition(null).sql).toBe("TRUE");
    expect(containsPattern("a\\b")).toBe("%a\\\\b%");
  });
});
