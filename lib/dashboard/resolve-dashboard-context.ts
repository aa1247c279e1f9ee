import "server-only";
import { notFound } from "next/navigation";
import { listProjects, type Project } from "@/lib/projects/get-project";
import { getProjectSettings, type ProjectSettings } from "@/lib/settings/project-settings";
import {
  parseViewParams,
  resolveTimeRange,
  type ProjectOption,
  type SearchParamsInput,
  type TimeRange,
  type ViewParams,
} from "@/lib/dashboard/view-params";

/**
 * What every dashboard page resolves first: the project (from `?project=<slug>`, else the default
 * project), its settings, and the view (range and filters) from the URL. Pages pass `project.id`
 * down to every query, so sign-in and roles (a later issue) can wrap this one function: check the
 * user's membership of `project` here, and every screen is covered.
 */
export interface DashboardContext {
  project: Project;
  /** The projects the switcher offers. */
  projects: ProjectOption[];
  settings: ProjectSettings;
  view: ViewParams;
  /** The view's range resolved at `now` (presets end at now). */
  range: TimeRange;
  now: Date;
}

export async function resolveDashboardContext(searchParams: SearchParamsInput, now = new Date()): Promise<DashboardContext> {
  const view = parseViewParams(searchParams);
  const projects = await listProjects();
  const project = projects.find((candidate) => (view.projectSlug === null ? candidate.isDefault : candidate.slug === view.projectSlug));
  if (!project) notFound();
  const settings = await getProjectSettings(project.id);
  return {
    project,
    projects: projects.map(({ slug, name, isDefault }) => ({ slug, name, isDefault })),
    settings,
    view,
    range: resolveTimeRange(view.range, now),
    now,
  };
}
