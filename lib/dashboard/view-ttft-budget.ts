import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { ttftBudgetFor } from "@/lib/settings/settings-schema";

/**
 * The TTFT budget a view is measured against: the filtered service's own budget when the view
 * shows one service, else the project's default. `isDefault` says when other services have
 * budgets of their own (the share within budget still counts each call against its service's).
 */
export function viewTtftBudget(context: Pick<DashboardContext, "settings" | "view">): { budgetMs: number; hasServiceBudgets: boolean } {
  const service = context.view.filters.service;
  return {
    budgetMs: service ? ttftBudgetFor(context.settings, service) : context.settings.ttftBudgetMs,
    hasServiceBudgets: !service && Object.keys(context.settings.serviceTtftBudgets).length > 0,
  };
}
