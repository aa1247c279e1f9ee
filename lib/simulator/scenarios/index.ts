import type { Random } from "../random";
import type { Scenario, ScenarioFactory } from "../types";
import { createCatalogEnricher } from "./catalog-enricher";
import { createDocsIndexer } from "./docs-indexer";
import { createEmailDrafter } from "./email-drafter";
import { createFaqBot } from "./faq-bot";
import { createNightlySummarizer } from "./nightly-summarizer";
import { createOnboardingTips } from "./onboarding-tips";
import { createRagService } from "./rag-service";
import { createSearchApi } from "./search-api";
import { createSupportChat } from "./support-chat";

/** Each scenario's share of the total call rate (sums to 1). */
export const scenarioShares: readonly (readonly [string, number, ScenarioFactory])[] = [
  ["support-chat", 0.28, createSupportChat],
  ["search-api", 0.14, createSearchApi],
  ["rag-service", 0.13, createRagService],
  ["faq-bot", 0.12, createFaqBot],
  ["email-drafter", 0.1, createEmailDrafter],
  ["onboarding-tips", 0.08, createOnboardingTips],
  ["docs-indexer", 0.06, createDocsIndexer],
  ["nightly-summarizer", 0.05, createNightlySummarizer],
  ["catalog-enricher", 0.04, createCatalogEnricher],
];

export function createScenarios(options: {
  rng: Random;
  /** Total calls per second at time t, across all scenarios. */
  rateAt(t: number): number;
  maxRate: number;
  liveStartMs: number;
}): Scenario[] {
  return scenarioShares.map(([name, share, create]) =>
    create({
      rng: options.rng.fork(name),
      rateAt: (t) => options.rateAt(t) * share,
      maxRate: options.maxRate * share,
      liveStartMs: options.liveStartMs,
    }),
  );
}
