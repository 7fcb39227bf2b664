/**
 * The UI's calls to /api/engine (the Engine tab, the status bar's
 * indicator, the Downloads tab, the Image tab's build note and memory
 * warning), typed with the engine's own types (type-only imports). Switching
 * backend saves engine.backend, asks the plan which build is now best, and
 * installs that one (the server downloads it if needed and moves a running
 * engine onto it). Failures throw ApiFailure with the server's message.
 */
import type { BuildProgress } from "../../../../engine/build/build-engine";
import type { SourceBuilder } from "../../../../engine/build/builder";
import type { ToolchainReport } from "../../../../engine/build/toolchain";
import type { EnginePlan } from "../../../../engine/install/provider";
import type { EngineStatus, InstalledBuild } from "../../../../engine/types";
import type { DeviceReport } from "../../../../engine/devices";
import { configApi } from "../../api/config";
import { api } from "../../api/http";
import type { BackendChoice } from "./engine-format";

export type { BuildProgress, EnginePlan, EngineStatus, ToolchainReport };

/** An installed build as GET /api/engine/builds lists it. */
/** rpc: the ggml RPC version of a build that can use RPC workers (built with SD_RPC=ON), else null. */
export type BuildInfo = Pick<InstalledBuild, "tag" | "variant" | "backend" | "dir"> & { rpc?: string | null };

const post = <T>(path: string, json?: unknown) => api<T>(path, { method: "POST", json });

export const engineApi = {
  status: () => api<EngineStatus>("/api/engine"),
  plan: () => api<EnginePlan>("/api/engine/plan"),
  builds: async () => (await api<{ builds: BuildInfo[] }>("/api/engine/builds")).builds,
  /** The devices the installed engine sees (its --list-devices); null build: none installed. */
  devices: () => api<DeviceReport | { build: null; devices: [] }>("/api/engine/devices"),
  logs: async (lines: number) => (await api<{ lines: string[] }>(`/api/engine/logs?lines=${lines}`)).lines,
  backend: async (): Promise<BackendChoice> => (await configApi.get()).config.engine.backend,
  restart: () => post<EngineStatus>("/api/engine/restart"),
  stop: () => post<EngineStatus>("/api/engine/stop"),
  /** A typed path: the user has confirmed that the app may run what is there; the server's one-time nonce proves it. */
  async importBuild(path: string) {
    const { nonce } = await post<{ nonce: string }>("/api/engine/import/nonce");
    return post<{ build: BuildInfo; status: EngineStatus }>("/api/engine/import", { path, confirm: true, nonce });
  },
  /** A zip chosen with the file picker, uploaded as it is. */
  uploadBuild: (file: File) =>
    api<{ build: BuildInfo; status: EngineStatus }>(`/api/engine/import?name=${encodeURIComponent(file.name)}`, {
      method: "POST",
      headers: { "content-type": "application/zip" },
      body: file,
    }),

  /** Installs (downloads if needed) and runs a release build: the best one without a variant. */
  install: (body: { variant?: string; force?: boolean } = {}) => post<EngineStatus & { builds: BuildInfo[] }>("/api/engine/install", body),
  /** Stops the engine download under way; false when it had already finished. */
  cancelInstall: () => post<{ cancelled: boolean }>("/api/engine/install/cancel"),

  /** The source build running now, or the last one (a build may have started before this page opened). */
  buildStatus: () => api<ReturnType<SourceBuilder["status"]>>("/api/engine/build"),
  /** Whether the tools to build `backend` from source are installed, and the command that installs them. */
  toolchain: (backend: string) => api<ToolchainReport>(`/api/engine/toolchain?backend=${encodeURIComponent(backend)}`),
  /** Without a backend: the plan's for this machine. rpc: built with SD_RPC=ON (it can use RPC workers). */
  startBuild: (backend?: string, rpc?: boolean) =>
    post<{ backend: string; logFile: string }>("/api/engine/build", { ...(backend ? { backend } : {}), ...(rpc ? { rpc } : {}) }),
  cancelBuild: () => post<{ cancelled: boolean }>("/api/engine/build/cancel"),

  /** Reinstalls the running variant (or the best one) from the release. */
  async reinstall(variant?: string) {
    const target = variant ?? (await engineApi.plan()).choice.candidates[0]?.variant;
    return engineApi.install(target ? { variant: target, force: true } : { force: true });
  },

  /** Saves engine.backend, then installs and runs the build it now picks. */
  async switchBackend(backend: BackendChoice): Promise<{ variant: string; override: EnginePlan["choice"]["override"] }> {
    await configApi.patch({ engine: { backend } });
    const plan = await engineApi.plan();
    const best = plan.choice.candidates[0];
    const why = plan.choice.error && [plan.choice.error.message, plan.choice.error.hint].filter(Boolean).join(" → ");
    if (!best) throw new Error(why || `No ${backend} build fits this machine.`);
    await engineApi.install({ variant: best.variant });
    return { variant: best.variant, override: plan.choice.override };
  },
};
