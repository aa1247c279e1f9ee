import { THEME_INIT_SCRIPT } from "@/components/theme/theme";

/** Rendered in <head>: sets the theme before the first paint. */
export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: THEME_INIT_SCRIPT }} />;
}
