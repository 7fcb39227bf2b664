/**
 * The Engine tab's calls to /api/engine and /api/config. Switching backend
 * saves engine.backend, asks the plan which build is now best, and installs
 * that one (the server downloads it if needed and moves a running engine
 * onto it). Failures throw ApiFailure with the server's message.
 */
import type { EnginePlan } from "../../../../engine/install/provider";
import type { EngineStatus } from "../../../../engine/types";
import type { DeviceReport } from "../../../../engine/devices";
import { api } from "../../api/http";
import type { BackendChoice } from "./engine-format";

export type { EnginePlan, EngineStatus };

export interface BuildInfo {
  tag: string;
  variant: string;
  backend: string;
  dir: string;
}

const post = <T>(path: string, json?: unknown) => api<T>(path, { method: "POST", json });

export const engineApi = {
  status: () => api<EngineStatus>("/api/engine"),
  plan: () => api<EnginePlan>("/api/engine/plan"),
  builds: async () => (await api<{ builds: BuildInfo[] }>("/api/engine/builds")).builds,
  /** The devices the installed engine sees (its --list-devices); null build: none installed. */
  devices: () => api<DeviceReport | { build: null; devices: [] }>("/api/engine/devices"),
  logs: async (lines: number) => (await api<{ lines: string[] }>(`/api/engine/logs?lines=${lines}`)).lines,
  backend: async () => (await api<{ config: { engine: { backend: BackendChoice } } }>("/api/config")).config.engine.backend,
  restart: () => post<EngineStatus>("/api/engine/restart"),
  stop: () => post<EngineStatus>("/api/engine/stop"),
  /** A typed path: the user has confirmed that the app may run what is there; the server's one-time nonce proves it. */
  async importBuild(path: string) {
    const { nonce } = await post<{ nonce: string }>("/api/engine/import/nonce");
    return post<{ build: BuildInfo; status: EngineStatus }>("/api/engine/import", { path, confirm: true, nonce });
  },
  /** A zip chosen with the file picker, uploaded as it is. */
  uploadBuild: (file: File) =>
    api<{ build: BuildInfo; status: EngineStatus }>(`/api/engine/import?name=${encodeURIComponent(file.name)}`, { method: "POST", headers: { "content-type": "application/zip" }, body: file }),

  /** Reinstalls the running variant (or the best one) from the release. */
  async reinstall(variant?: string) {
    const target = variant ?? (await engineApi.plan()).choice.candidates[0]?.variant;
    return post<EngineStatus>("/api/engine/install", target ? { variant: target, force: true } : { force: true });
  },

  /** Saves engine.backend, then installs and runs the build it now picks. */
  async switchBackend(backend: BackendChoice): Promise<{ variant: string; override: EnginePlan["choice"]["override"] }> {
    await api("/api/config", { method: "PATCH", json: { engine: { backend } } });
    const plan = await engineApi.plan();
    const best = plan.choice.candidates[0];
    if (!best) throw new Error(plan.choice.error ? [plan.choice.error.message, plan.choice.error.hint].filter(Boolean).join(" → ") : `No ${backend} build fits this machine.`);
    await post("/api/engine/install", { variant: best.variant });
    return { variant: best.variant, override: plan.choice.override };
  },
};
