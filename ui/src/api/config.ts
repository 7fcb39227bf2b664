/**
 * `GET/PATCH /api/config` and `GET /api/config/schema` for the whole UI
 * (Settings, the Engine tab, the theme, the queue's habits), typed with the
 * server's own config types (type-only imports: nothing of the server goes
 * into the bundle). Secrets come masked; a PATCH answers with the new view.
 */
import type { Config, ConfigPatch } from "../../../core/config/schema";
import type { ConfigProblem } from "../../../core/config/store";
import type { RunningValue } from "../../../launcher/server/running-settings";
import { api } from "./http";

export type { Config, ConfigPatch };

/** What the config routes answer (launcher/server/routes/config.ts). */
export interface ConfigView {
  config: Config;
  file: string;
  problems: Array<ConfigProblem & { text: string }>;
  /** Settings running with another value than the file's, and why (absent from an older server). */
  running?: Record<string, RunningValue>;
}

export const configApi = {
  get: () => api<ConfigView>("/api/config"),
  patch: (patch: ConfigPatch) => api<ConfigView>("/api/config", { method: "PATCH", json: patch }),
  /** The JSON Schema the Settings form renders. */
  schema: () => api<object>("/api/config/schema"),
};
