/**
 * A small Engine for the queue tests, over the real process supervisor and
 * the stand-in sd-server: ensure = (re)start with the model set, the native
 * async API over HTTP, cancel = API for queued jobs, restart for a running one.
 * Used until the engine manager (engine/manager.ts) exists; then E2E tests
 * use the manager.
 */
import { buildServerArgs } from "../../engine/process/args";
import { Supervisor, type SupervisorEvent } from "../../engine/process/supervisor";
import type { Engine, EngineEvent, EngineJob, EngineStatus, ImgGenBody, InstalledBuild, ModelSet } from "../../engine/types";

const FLAGS = { flash_attention: false, offload_to_cpu: false, vae_tiling: false, vae_tile_size: 512, mmap: true, threads: 0 };

export class SupervisedEngine implements Engine {
  readonly supervisor = new Supervisor({ backoffMs: 50, stopGraceMs: 2_000, healthIntervalMs: 500, healthTimeoutMs: 1_000, readyTimeoutMs: 20_000 });
  #status: EngineStatus = { state: "installed" };
  #key = "";
  #listeners = new Set<(e: EngineEvent) => void>();

  constructor(readonly build: InstalledBuild) {
    this.supervisor.on((e) => this.#relay(e));
  }

  #emit(e: EngineEvent) {
    for (const l of this.#listeners) l(e);
  }

  #setState(status: EngineStatus) {
    this.#status = status;
    this.#emit({ type: "state", status });
  }

  #relay(e: SupervisorEvent) {
    if (e.type === "progress") this.#emit({ type: "progress", progress: e.progress });
    else if (e.type === "ready") this.#setState({ state: "ready", port: e.engine.port });
    else if (e.type === "restarting") this.#setState({ state: "restarting", error: e.error });
    else if (e.type === "exited" && !e.expected) this.#setState({ state: "restarting", error: e.error });
    else if (e.type === "failed") this.#setState({ state: "failed", error: e.error });
  }

  status() {
    return this.#status;
  }

  #base() {
    const running = this.supervisor.running;
    if (!running) throw new Error("the engine is not running");
    return `http://127.0.0.1:${running.port}`;
  }

  async ensure(models: ModelSet) {
    const key = JSON.stringify(models);
    if (key === this.#key && this.supervisor.running) return;
    this.#key = key;
    this.#setState({ state: "starting" });
    await this.supervisor.start([this.build], (port) => buildServerArgs(FLAGS, models, port));
  }

  async stop() {
    await this.supervisor.stop();
    this.#setState({ state: "stopped" });
  }

  async submit(body: ImgGenBody) {
    const res = await fetch(`${this.#base()}/sdcpp/v1/img_gen`, { method: "POST", body: JSON.stringify(body) });
    const json = (await res.json()) as { id?: string; error?: string };
    if (res.status !== 202 || !json.id) throw new Error(`img_gen ${res.status}: ${json.error}`);
    return json.id;
  }

  async poll(id: string): Promise<EngineJob> {
    const res = await fetch(`${this.#base()}/sdcpp/v1/jobs/${id}`);
    if (!res.ok) throw new Error(`job ${id}: HTTP ${res.status}`);
    const j = (await res.json()) as { id: string; status: EngineJob["status"]; result?: { output_format: string; images: { index: number; b64_json: string }[] }; error?: { code: string; message: string } };
    return {
      id: j.id,
      status: j.status,
      outputFormat: j.result?.output_format,
      images: j.result?.images.map((i) => ({ index: i.index, data: new Uint8Array(Buffer.from(i.b64_json, "base64")) })),
      ...(j.error ? { error: j.error } : {}),
    };
  }

  async cancel(id: string) {
    const res = await fetch(`${this.#base()}/sdcpp/v1/jobs/${id}/cancel`, { method: "POST" });
    if (res.status === 409) {
      this.#setState({ state: "restarting" });
      await this.supervisor.restart();
    }
  }

  on(listener: (e: EngineEvent) => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
