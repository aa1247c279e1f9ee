import { describe, expect, it } from "vitest";
import { toDisplayMessages } from "@/lib/traces/display-messages";

describe("toDisplayMessages", () => {
  it("reads the common message shapes", () => {
    expect(
      toDisplayMessages([
        { role: "system", content: "Be brief." },
        { role: "user", parts: [{ type: "text", content: "Hi" }] },
        { role: "assistant", content: [{ type: "text", text: "Hello" }, { type: "text", text: "there" }] },
        { role: "model", parts: [{ text: "Gemini says" }] },
      ]),
    ).toEqual([
      { role: "system", text: "Be brief." },
      { role: "user", text: "Hi" },
      { role: "assistant", text: "Hello\nthere" },
      { role: "model", text: "Gemini says" },
    ]);
  });

  it("reads request bodies and plain strings", () => {
    expect(toDisplayMessages({ model: "x", messages: [{ role: "user", content: "Q" }] })).toEqual([{ role: "user", text: "Q" }]);
    expect(toDisplayMessages("just text")).toEqual([{ role: "text", text: "just text" }]);
    expect(toDisplayMessages(["a", "b"])).toEqual([
      { role: "text", text: "a" },
      { role: "text", text: "b" },
    ]);
  });

  it("keeps structured parts visible and gives up on unknown shapes", () => {
    const [toolCall] = toDisplayMessages([{ role: "assistant", content: [{ type: "tool_call", name: "lookup" }] }])!;
    expect(toolCall!.text).toContain("[tool_call]");
    expect(toDisplayMessages({ unexpected: true })).toBeNull();
    expect(toDisplayMessages([1, 2])).toBeNull();
    expect(toDisplayMessages(null)).toBeNull();
    expect(toDisplayMessages("")).toBeNull();
  });
});
