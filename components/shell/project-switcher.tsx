"use client";

import type { ProjectOption } from "@/lib/dashboard/view-params";

interface ProjectSwitcherProps {
  projects: ProjectOption[];
  currentSlug: string;
  onChange: (slug: string | null) => void;
}

/** The project is part of the URL (`?project=<slug>`); the default project is left out. */
export function ProjectSwitcher({ projects, currentSlug, onChange }: ProjectSwitcherProps) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-zinc-500 dark:text-zinc-400">Project</span>
      <select
        value={currentSlug}
        onChange={(event) => {
          const chosen = projects.find((project) => project.slug === event.target.value);
          onChange(chosen && !chosen.isDefault ? chosen.slug : null);
        }}
        className={SELECT_CLASS}
      >
        {projects.map((project) => (
          <option key={project.slug} value={project.slug}>
            {project.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export const SELECT_CLASS =
  "h-8 max-w-44 truncate rounded-md border border-zinc-300 bg-white px-2 text-sm text-zinc-900 shadow-xs focus:outline-2 focus:outline-offset-1 focus:outline-sky-600 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
