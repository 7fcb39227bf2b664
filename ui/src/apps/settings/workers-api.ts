/**
 * Settings → Workers' calls: `/api/workers` (workers/routes.ts): the list with
 * each worker's state, adding one by its login link (or address and token),
 * removing, checking, and the "let workers download missing models" switch.
 */
import { api } from "../../api/http";
import type { WorkerView } from "../../../../workers/board";

export type { WorkerView };

export interface WorkersList {
  download_missing: boolean;
  workers: WorkerView[];
}

export const workersApi = {
  list: () => api<WorkersList>("/api/workers"),
  add: (link: string, token: string, name: string) =>
    api<WorkerView>("/api/workers", {
      method: "POST",
      json: { link: link.trim(), ...(token.trim() ? { token: token.trim() } : {}), ...(name.trim() ? { name: name.trim() } : {}) },
    }),
  remove: (id: string) => api<{ removed: string }>(`/api/workers/${encodeURIComponent(id)}`, { method: "DELETE" }),
  check: (id: string) => api<WorkerView>(`/api/workers/${encodeURIComponent(id)}/check`, { method: "POST" }),
  downloadMissing: (on: boolean) => api<WorkersList>("/api/workers", { method: "PATCH", json: { download_missing: on } }),
};
