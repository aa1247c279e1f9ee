"use client";

import { useSyncExternalStore } from "react";
import { applyTheme, THEME_CHOICES, THEME_STORAGE_KEY, type ThemeChoice } from "@/components/theme/theme";

const LABELS: Record<ThemeChoice, string> = { light: "Light", dark: "Dark", system: "System" };

const listeners = new Set<() => void>();
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const onSystemChange = () => {
    if (document.documentElement.dataset.theme === "system") applyTheme("system");
  };
  media.addEventListener("change", onSystemChange);
  return () => {
    listeners.delete(listener);
    media.removeEventListener("change", onSystemChange);
  };
}
function currentChoice(): ThemeChoice {
  const choice = document.documentElement.dataset.theme;
  return (THEME_CHOICES as readonly string[]).includes(choice ?? "") ? (choice as ThemeChoice) : "system";
}

/** Light / Dark / System, persisted in localStorage; the server renders "System" and the client corrects it. */
export function ThemeToggle() {
  const choice = useSyncExternalStore(subscribe, currentChoice, () => "system" as ThemeChoice);
  function choose(next: ThemeChoice) {
    try {
      localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Storage blocked: the choice still applies to this page.
    }
    applyTheme(next);
    for (const listener of listeners) listener();
  }
  return (
    <div role="radiogroup" aria-label="Theme" className="inline-flex rounded-md border border-zinc-200 p-0.5 text-xs dark:border-zinc-800">
      {THEME_CHOICES.map((option) => (
        <button
          key={option}
          type="button"
          role="radio"
          aria-checked={choice === option}
          onClick={() => choose(option)}
          className={`rounded px-2 py-1 ${
            choice === option
              ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
              : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
          }`}
        >
          {LABELS[option]}
        </button>
      ))}
    </div>
  );
}
