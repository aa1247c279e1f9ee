/**
 * Light, dark or the system's choice, kept in localStorage. The same rules run twice: inline in
 * <head> before first paint (theme-script.tsx, so there is no flash of the wrong theme) and in the
 * toggle when the user picks one.
 */
export const THEME_STORAGE_KEY = "sous-theme";
export const THEME_CHOICES = ["light", "dark", "system"] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/** Applies a choice to <html>: the `dark` class, color-scheme and data-theme (read by the toggle). */
export function applyTheme(choice: ThemeChoice): void {
  const isDark = choice === "dark" || (choice === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  const root = document.documentElement;
  root.classList.toggle("dark", isDark);
  root.dataset.theme = choice;
}

/** The inline script: self-contained (it runs before any bundle), and silent if storage is blocked. */
export const THEME_INIT_SCRIPT = `(function(){try{var c=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(c!=="light"&&c!=="dark")c="system";var d=c==="dark"||(c==="system"&&window.matchMedia("(prefers-color-scheme: dark)").matches);var r=document.documentElement;r.classList.toggle("dark",d);r.dataset.theme=c;}catch(e){}})();`;
