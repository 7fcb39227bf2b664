/**
 * What the window shows from the moment it maps until the app's page
 * arrives: nothing, in the app's background colour (ui/src/theme.css
 * `--ed-body`), so the window appears at once without a white flash. Pure.
 */
import type { Config } from "../../core/config/schema";

const BODY = { dark: "#202124", light: "#f7f7f8" } as const;

export function blankPage(theme: Config["ui"]["theme"]): string {
  const css =
    theme === "system"
      ? `html{background:${BODY.light}}@media (prefers-color-scheme: dark){html{background:${BODY.dark}}}`
      : `html{background:${BODY[theme]}}`;
  return `data:text/html,${encodeURIComponent(`<!doctype html><style>${css}</style>`)}`;
}
