import { z } from "zod";

/**
 * Project settings: the public shape (GET) and the update shape (PUT). No server imports here, so
 * the settings form can validate with the same schema.
 *
 * Update semantics: a field left out is unchanged; `null` resets it to the default (environment
 * or built-in, lib/settings/settings-defaults); a value replaces the stored one, and
 * `serviceTtftBudgets` is replaced as a whole map.
 */
export const SETTING_KEYS = [
  "retentionDays",
  "allocationTagKeys",
  "allocationTagLimit",
  "ttftBudgetMs",
  "serviceTtftBudgets",
  "timeZone",
  "workloadAttribute",
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

export const SETTING_LIMITS = {
  maxRetentionDays: 3650,
  maxAllocationTags: 20,
  maxAllocationTagLimit: 10_000,
  maxTtftBudgetMs: 600_000,
  maxServiceBudgets: 500,
  maxAttributeKeyLength: 128,
  maxServiceNameLength: 200,
} as const;

/** Whether `timeZone` is an IANA zone this runtime knows (Intl is the authority PostgreSQL agrees with). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling ("europe/paris" → "Europe/Paris"), so the stored name works in SQL too. */
export function canonicalTimeZone(timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
}

// Messages follow the field's path in the error ("retentionDays: must be …"), so they do not repeat it.
const wholeNumber = (unit: string, min: number, max: number) => {
  const range = `a whole number of ${unit} from ${min} to ${max}`;
  return z
    .number({ error: `must be ${range}` })
    .int(`must be ${range}`)
    .min(min, `must be ${range}`)
    .max(max, `must be ${range}`);
};

export const attributeKeySchema = z
  .string({ error: "must be an attribute key (text), e.g. team or app.feature" })
  .trim()
  .min(1, "cannot be empty")
  .max(SETTING_LIMITS.maxAttributeKeyLength, `must be at most ${SETTING_LIMITS.maxAttributeKeyLength} characters`)
  .regex(/^[^\s,]+$/, "must be an attribute key without spaces or commas, e.g. team or app.feature");

export const retentionDaysSchema = wholeNumber("days", 1, SETTING_LIMITS.maxRetentionDays);
export const allocationTagLimitSchema = wholeNumber("distinct values per tag", 1, SETTING_LIMITS.maxAllocationTagLimit);
export const ttftBudgetMsSchema = wholeNumber("milliseconds", 1, SETTING_LIMITS.maxTtftBudgetMs);

export const allocationTagKeysSchema = z
  .array(attributeKeySchema, { error: "must be a list of attribute keys, e.g. [\"team\", \"feature\"]" })
  .max(SETTING_LIMITS.maxAllocationTags, `must list at most ${SETTING_LIMITS.maxAllocationTags} keys`)
  .refine((keys) => new Set(keys).size === keys.length, "lists a key twice");

export const serviceTtftBudgetsSchema = z
  .record(
    z
      .string()
      .min(1, "a service name cannot be empty")
      .max(SETTING_LIMITS.maxServiceNameLength, `a service name must be at most ${SETTING_LIMITS.maxServiceNameLength} characters`),
    ttftBudgetMsSchema,
    { error: "must map service names to budgets in ms, e.g. {\"checkout\": 250}" },
  )
  .refine(
    (budgets) => Object.keys(budgets).length <= SETTING_LIMITS.maxServiceBudgets,
    `must hold at most ${SETTING_LIMITS.maxServiceBudgets} services`,
  );

export const timeZoneSchema = z
  .string({ error: "must be an IANA time zone name, e.g. Europe/Paris" })
  .trim()
  .refine(isValidTimeZone, "must be an IANA time zone name, e.g. Europe/Paris or America/New_York")
  .transform(canonicalTimeZone);

export const projectSettingsSchema = z.object({
  retentionDays: retentionDaysSchema,
  allocationTagKeys: allocationTagKeysSchema,
  allocationTagLimit: allocationTagLimitSchema,
  ttftBudgetMs: ttftBudgetMsSchema,
  serviceTtftBudgets: serviceTtftBudgetsSchema,
  timeZone: timeZoneSchema,
  workloadAttribute: attributeKeySchema,
  /** The settings this project stores itself; the others follow the defaults. */
  customized: z.array(z.enum(SETTING_KEYS)),
});
export type ProjectSettings = z.infer<typeof projectSettingsSchema>;
export type SettingValues = Omit<ProjectSettings, "customized">;

export const projectSettingsPatchSchema = z.strictObject(
  {
    retentionDays: retentionDaysSchema.nullable().optional(),
    allocationTagKeys: allocationTagKeysSchema.nullable().optional(),
    allocationTagLimit: allocationTagLimitSchema.nullable().optional(),
    ttftBudgetMs: ttftBudgetMsSchema.nullable().optional(),
    serviceTtftBudgets: serviceTtftBudgetsSchema.nullable().optional(),
    timeZone: timeZoneSchema.nullable().optional(),
    workloadAttribute: attributeKeySchema.nullable().optional(),
  },
  {
    error: (issue) =>
      issue.code === "invalid_type"
        ? "settings must be a JSON object, e.g. {\"retentionDays\": 90}"
        : issue.code === "unrecognized_keys"
          ? `unknown setting ${issue.keys.map((key) => `"${key}"`).join(", ")}; known: ${SETTING_KEYS.join(", ")}`
          : undefined,
  },
);
export type ProjectSettingsPatch = z.infer<typeof projectSettingsPatchSchema>;

/** The budget a service's calls are held to: its own, else the project's. */
export function ttftBudgetFor(settings: Pick<ProjectSettings, "ttftBudgetMs" | "serviceTtftBudgets">, serviceName: string): number {
  return Object.hasOwn(settings.serviceTtftBudgets, serviceName)
    ? settings.serviceTtftBudgets[serviceName]!
    : settings.ttftBudgetMs;
}
