import type { Metadata } from "next";
import { PromptsScreen } from "@/components/prompts/prompts-screen";
import { DashboardHeader } from "@/components/shell/dashboard-header";
import { resolveDashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import type { SearchParamsInput } from "@/lib/dashboard/view-params";

export const metadata: Metadata = { title: "Prompts" };

export default async function PromptsPage({ searchParams }: { searchParams: Promise<SearchParamsInput> }) {
  const context = await resolveDashboardContext(await searchParams);
  return (
    <>
      <DashboardHeader context={context} title="Prompts" description="Did the last prompt version make things better or worse?" />
      <main className="p-4 md:p-6">
        <PromptsScreen context={context} />
      </main>
    </>
  );
}
