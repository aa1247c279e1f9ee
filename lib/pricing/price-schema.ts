import { z } from "zod";
import { validateModelPattern } from "@/lib/pricing/model-pattern";

/**
 * The shape of a price row at the edges (prices table on the Cost screen, API). No server imports,
 * so the form can validate with it. Prices are decimal strings in USD per 1M tokens (a JSON number
 * is accepted and kept exact as long as it has at most 6 decimals); dates are YYYY-MM-DD.
 */
const DECIMAL_PRICE = /^\d{1,8}(\.\d{1,6})?$/;

export const usdPerMtokSchema = z
  .union([z.string(), z.number()], { error: "must be a price in USD per 1M tokens, e.g. \"2.50\"" })
  .transform((value) => (typeof value === "number" ? String(value) : value.trim()))
  .refine((value) => DECIMAL_PRICE.test(value), "must be a price in USD per 1M tokens (0 or more, at most 6 decimals), e.g. \"2.50\"");

export const isoDateSchema = z
  .string({ error: "must be a date, YYYY-MM-DD" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date, YYYY-MM-DD")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), "is not a calendar date");

export const priceInputSchema = z.strictObject({
  provider: z
    .string({ error: "must be a provider id, e.g. openai, anthropic, gcp.gemini" })
    .trim()
    .min(1, "cannot be empty")
    .max(100, "must be at most 100 characters")
    .transform((value) => value.toLowerCase()),
  modelPattern: z
    .string({ error: "must be a model name or pattern, e.g. gpt-4o or claude-sonnet-4*" })
    .superRefine((value, context) => {
      const problem = validateModelPattern(value);
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .transform((value) => value.trim().toLowerCase()),
  inputUsdPerMtok: usdPerMtokSchema,
  cacheReadUsdPerMtok: usdPerMtokSchema.nullable().default(null),
  cacheWrite5mUsdPerMtok: usdPerMtokSchema.nullable().default(null),
  cacheWrite1hUsdPerMtok: usdPerMtokSchema.nullable().default(null),
  outputUsdPerMtok: usdPerMtokSchema,
  effectiveFrom: isoDateSchema,
  source: z.string({ error: "must say where the price comes from (a URL or \"contract\")" }).trim().min(1, "cannot be empty").max(500),
  checkedAt: isoDateSchema,
  notes: z.string().trim().max(2000).nullable().default(null),
});
export type PriceInput = z.infer<typeof priceInputSchema>;
export type PriceInputBody = z.input<typeof priceInputSchema>;

/** A price row as shown and exported. */
export interface Price extends PriceInput {
  id: string;
  projectId: string | null;
  /** "global": the seeded list shared by all projects; "project": this project's override. */
  scope: "global" | "project";
}
