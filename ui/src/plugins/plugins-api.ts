/**
 * The UI's calls to /api/plugins (plugins/README.md): the loader lists the
 * plugins and reports one that failed; Settings → Plugins lists, switches,
 * installs and removes them. Typed with the server's PluginInfo (type-only).
 */
import type { PluginInfo } from "../../../plugins/store";
import { api } from "../api/http";

export type { PluginInfo };

/** GET /api/plugins. */
export interface PluginListing {
  apiVersion: number;
  /** The data dir's plugins/ folder. */
  folder: string;
  plugins: PluginInfo[];
}

const one = (file: string) => `/api/plugins/${encodeURIComponent(file)}`;

export const pluginsApi = {
  list: () => api<PluginListing>("/api/plugins"),
  setEnabled: (file: string, enabled: boolean) => api<PluginInfo>(one(file), { method: "PATCH", json: { enabled } }),
  remove: (file: string) => api<{ removed: string }>(one(file), { method: "DELETE" }),
  /** Installs a `*.plugin.js` chosen with the file picker (uploaded as a form). */
  installFile(file: File) {
    const form = new FormData();
    form.set("file", file);
    return api<PluginInfo>("/api/plugins", { method: "POST", body: form });
  },
  installUrl: (url: string) => api<PluginInfo>("/api/plugins", { method: "POST", json: { url } }),
  /** A plugin threw: the server disables it and keeps the message for Settings → Plugins. */
  reportError: (file: string, message: string) => api<PluginInfo>(`${one(file)}/error`, { method: "POST", json: { message } }),
};
