import { describe, expect, it } from "vitest";
import { parseCliArgs, parseDurationMs } from "./parse-cli-args";

describe("parseDurationMs", () => {
  it("reads the usual units, bare numbers as seconds", () => {
    expect(parseDurationMs("500ms")).toBe(500);
    expect(parseDurationMs("60s")).toBe(60_000);
    expect(parseDurationMs("5m")).toBe(300_000);
    expect(parseDurationMs("24h")).toBe(86_400_000);
    expect(parseDurationMs("7d")).toBe(7 * 86_400_000);
    expect(parseDurationMs("90")).toBe(90_000);
    expect(() => parseDurationMs("soon")).toThrow(/not a duration/);
  });
});

describe("parseCliArgs", () => {
  it("defaults to 5 calls/s for 60 s against the local receiver", () => {
    const result = parseCliArgs([], {});
    expect(result).toEqual({
      isHelp: false,
      options: {
        ratePerSecond: 5,
        durationMs: 60_000,
        backfillMs: 0,
        endpoint: "http://127.0.0.1:3000/api/otlp",
        apiKey: undefined,
        protocol: "proto",
        environment: "production",
      },
    });
  });

  it("takes the key from SOUS_API_KEY unless --key is given", () => {
    const fromEnv = parseCliArgs([], { SOUS_API_KEY: "env-key" });
    expect(fromEnv.isHelp === false && fromEnv.options.apiKey).toBe("env-key");
    const fromFlag = parseCliArgs(["--key", "flag-key"], { SOUS_API_KEY: "env-key" });
    expect(fromFlag.isHelp === false && fromFlag.options.apiKey).toBe("flag-key");
  });

  it("reads every option", () => {
    const result = parseCliArgs(
      ["--rate", "2.5", "--duration", "5m", "--backfill", "24h", "--backfill-rate", "1", "--seed", "42",
        "--protocol", "json", "--endpoint", "http://sous:3000/api/otlp", "--environment", "staging"],
      {},
    );
    expect(result.isHelp).toBe(false);
    if (result.isHelp) return;
    expect(result.options).toMatchObject({
      ratePerSecond: 2.5,
      durationMs: 300_000,
      backfillMs: 86_400_000,
      backfillRatePerSecond: 1,
      seed: 42,
      protocol: "json",
      endpoint: "http://sous:3000/api/otlp",
      environment: "staging",
    });
  });

  it("rejects bad values and unknown flags with a message", () => {
    expect(() => parseCliArgs(["--protocol", "grpc"], {})).toThrow(/proto or json/);
    expect(() => parseCliArgs(["--rate", "0"], {})).toThrow(/positive/);
    expect(() => parseCliArgs(["--seed", "abc"], {})).toThrow(/integer/);
    expect(() => parseCliArgs(["--speed", "3"], {})).toThrow();
    expect(parseCliArgs(["--help"], {})).toEqual({ isHelp: true });
  });
});
