import { parseArgs } from "node:util";
import type { SimulationOptions } from "./run-simulation";

export const simulateUsage = `Usage: npm run simulate -- [options]

Sends simulated LLM traffic from several services to Sous over OTLP/HTTP.

  --rate <calls/s>         average LLM calls per second (default 5)
  --duration <time>        how long to send live traffic, e.g. 60s, 5m, 1h (default 60s; 0: none)
  --backfill <time>        first send the past window, e.g. 24h (at most 7d), as fast as possible
  --backfill-rate <calls/s> average rate of the backfilled past (default: --rate)
  --endpoint <url>         OTLP base URL (default http://127.0.0.1:3000/api/otlp)
  --key <key>              ingest API key (default: SOUS_API_KEY)
  --seed <n>               reproduce a run (default: random, printed)
  --protocol proto|json    OTLP encoding (default proto)
  --environment <name>     deployment.environment.name (default production)
  --help                   show this help
`;

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "5m", "24h", "7d", "500ms"; a bare number is seconds. */
export function parseDurationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration: use e.g. 30s, 5m, 24h or 7d`);
  return Number(match[1]) * units[match[2] ?? "s"];
}

function parsePositiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${flag} must be a positive number, got "${text}"`);
  return value;
}

export type CliResult = { isHelp: true } | { isHelp: false; options: SimulationOptions };

export function parseCliArgs(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): CliResult {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      rate: { type: "string" },
      duration: { type: "string" },
      backfill: { type: "string" },
      "backfill-rate": { type: "string" },
      endpoint: { type: "string" },
      key: { type: "string" },
      seed: { type: "string" },
      protocol: { type: "string" },
      environment: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { isHelp: true };

  const protocol = values.protocol ?? "proto";
  if (protocol !== "proto" && protocol !== "json") {
    throw new Error(`--protocol must be proto or json, got "${protocol}"`);
  }
  if (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) {
    throw new Error(`--seed must be an integer, got "${values.seed}"`);
  }
  const options: SimulationOptions = {
    ratePerSecond: values.rate ? parsePositiveNumber("rate", values.rate) : 5,
    durationMs: values.duration ? parseDurationMs(values.duration) : 60_000,
    backfillMs: values.backfill ? parseDurationMs(values.backfill) : 0,
    endpoint: values.endpoint ?? "http://127.0.0.1:3000/api/otlp",
    apiKey: values.key ?? (env.SOUS_API_KEY || undefined),
    protocol,
    environment: values.environment ?? "production",
  };
  if (values["backfill-rate"]) {
    options.backfillRatePerSecond = parsePositiveNumber("backfill-rate", values["backfill-rate"]);
  }
  if (values.seed !== undefined) options.seed = Number(values.seed);
  return { isHelp: false, options };
}
