import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * The filters every read route takes (DESIGN.md "Public query API"): service, model, provider,
 * promptName, promptVersion, environment and attribute.KEY=value; `from` inclusive, `to`
 * exclusive, default the last 24 hours. Times are ISO-8601 or epoch milliseconds.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

export const timeParam = z
  .string()
  .transform((value, context) => {
    const date = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
    if (Number.isNaN(date.getTime())) {
      context.addIssue({ code: "custom", message: `"${value}" is not an ISO-8601 time or epoch milliseconds` });
      return z.NEVER;
    }
    return date;
  });

export const callFiltersSchema = z.object({
  from: timeParam.optional(),
  to: timeParam.optional(),
  service: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  promptName: z.string().min(1).optional(),
  promptVersion: z.string().min(1).optional(),
  environment: z.string().min(1).optional(),
});

export interface CallFilters {
  from: Date;
  to: Date;
  service?: string;
  model?: string;
  provider?: string;
  promptName?: string;
  promptVersion?: string;
  environment?: string;
  attributes: Record<string, string>;
}

/** Reads the shared filters from a query string; `attribute.KEY=value` pairs are collected apart. */
export function parseCallFilters(params: URLSearchParams, now = new Date()): CallFilters {
  const known: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key.startsWith("attribute.")) {
      const name = key.slice("attribute.".length);
      if (name.length > 0) attributes[name] = value;
    } else {
      known[key] = value;
    }
  }
  const parsed = callFiltersSchema.parse(known);
  const to = parsed.to ?? now;
  const from = parsed.from ?? new Date(to.getTime() - DAY_MS);
  if (from.getTime() >= to.getTime()) {
    throw new z.ZodError([{ code: "custom", path: ["from"], message: "`from` must be before `to`", input: from }]);
  }
  return { ...parsed, from, to, attributes };
}

/** SQL conditions for the filters other than time, as one fragment (always safe to AND). */
export function filterConditions(filters: Omit<CallFilters, "from" | "to">): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (filters.service) conditions.push(Prisma.sql`service_name = ${filters.service}`);
  if (filters.model) conditions.push(Prisma.sql`COALESCE(response_model, request_model) = ${filters.model}`);
  if (filters.provider) conditions.push(Prisma.sql`provider = ${filters.provider}`);
  if (filters.promptName) conditions.push(Prisma.sql`prompt_name = ${filters.promptName}`);
  if (filters.promptVersion) conditions.push(Prisma.sql`prompt_version = ${filters.promptVersion}`);
  if (filters.environment) conditions.push(Prisma.sql`environment = ${filters.environment}`);
  for (const [key, value] of Object.entries(filters.attributes)) {
    conditions.push(Prisma.sql`attributes ->> ${key} = ${value}`);
  }
  return conditions.length === 0 ? Prisma.sql`TRUE` : Prisma.join(conditions, " AND ");
}
