import type { z } from "zod";
import {
  allocationTagKeysSchema,
  allocationTagLimitSchema,
  attributeKeySchema,
  retentionDaysSchema,
  timeZoneSchema,
  ttftBudgetMsSchema,
  type SettingValues,
} from "@/lib/settings/settings-schema";

/**
 * The defaults a project follows until it stores its own value: built in, or set for the whole
 * installation through the environment. An invalid variable is an error naming it (a silent
 * fallback would hide a misconfiguration until the data looked wrong).
 */
export const BUILT_IN_SETTINGS: SettingValues = {
  retentionDays: 30,
  // Who pays and for what: the usual chargeback dimensions. The user id has its own column
  // (LlmCall.userId) and is too high-cardinality for a rolled-up tag.
  allocationTagKeys: ["team", "feature", "customer"],
  allocationTagLimit: 100,
  ttftBudgetMs: 300,
  serviceTtftBudgets: {},
  timeZone: "UTC",
  workloadAttribute: "sous.workload",
};

export class SettingsConfigError extends Error {}

type Env = Record<string, string | undefined>;

export function readSettingsDefaults(env: Env = process.env): SettingValues {
  return {
    retentionDays: fromEnv(env, "SOUS_RETENTION_DAYS", retentionDaysSchema, parseWholeNumber, BUILT_IN_SETTINGS.retentionDays),
    allocationTagKeys: fromEnv(env, "SOUS_ALLOCATION_TAGS", allocationTagKeysSchema, parseList, BUILT_IN_SETTINGS.allocationTagKeys),
    allocationTagLimit: fromEnv(
      env,
      "SOUS_ALLOCATION_TAG_LIMIT",
      allocationTagLimitSchema,
      parseWholeNumber,
      BUILT_IN_SETTINGS.allocationTagLimit,
    ),
    ttftBudgetMs: fromEnv(env, "SOUS_TTFT_BUDGET_MS", ttftBudgetMsSchema, parseWholeNumber, BUILT_IN_SETTINGS.ttftBudgetMs),
    serviceTtftBudgets: BUILT_IN_SETTINGS.serviceTtftBudgets,
    timeZone: fromEnv(env, "SOUS_TIME_ZONE", timeZoneSchema, (value) => value, BUILT_IN_SETTINGS.timeZone),
    workloadAttribute: fromEnv(
      env,
      "SOUS_WORKLOAD_ATTRIBUTE",
      attributeKeySchema,
      (value) => value,
      BUILT_IN_SETTINGS.workloadAttribute,
    ),
  };
}

function fromEnv<T>(env: Env, name: string, schema: z.ZodType<T>, parse: (raw: string) => unknown, fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const result = schema.safeParse(parse(raw.trim()));
  if (!result.success) {
    const reason = result.error.issues.map((issue) => issue.message).join("; ");
    throw new SettingsConfigError(`${name}="${raw}" is invalid: ${reason}.`);
  }
  return result.data;
}

function parseWholeNumber(raw: string): unknown {
  return /^-?\d+$/.test(raw) ? Number(raw) : raw;
}

/** "team, feature,customer" → ["team", "feature", "customer"]; an explicit empty entry is dropped. */
function parseList(raw: string): string[] {
  return raw
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
