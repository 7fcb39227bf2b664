/**
 * The warm engine: when the app starts, the engine is started with the last
 * used models (config models.warm_start), so "Engine: Ready" means the next
 * picture does not wait for loading; and, when models.idle_unload_minutes is
 * set, the engine is stopped after that long without a task (the next task
 * starts it again). The model set is built exactly as a task's would be
 * (resolveModels + toModelSet), so the first task does not restart it.
 */
import type { Engine } from "../engine/types";
import type { AppContext } from "../core/server/context";
import type { ModelLibrary } from "./library";
import { toModelSet } from "./model-set";
import { resolveModels } from "./resolve";
import { searchPathFor } from "./roots";
import type { ModelStore } from "./store";
import type { ModelUse } from "./use";

/** Whether an idle engine should be stopped now. Pure. */
export function shouldUnload(o: { minutes: number; lastActivity: number; now: number; state: string; queued: number }): boolean {
  if (o.minutes <= 0 || o.queued > 0) return false;
  if (o.state !== "ready") return false;
  return o.now - o.lastActivity >= o.minutes * 60_000;
}

export interface WarmDeps {
  engine: Engine;
  ctx: AppContext;
  library: ModelLibrary;
  store: ModelStore;
  /** What the tasks used and how many wait (the queue's answer; absent: nothing known, nothing waits). */
  use?: () => ModelUse | undefined;
  /** How often the idle check runs (ms). */
  checkEveryMs?: number;
}

export class WarmEngine {
  #lastActivity = Date.now();
  #timer: ReturnType<typeof setInterval> | undefined;
  #off: (() => void) | undefined;
  #stopped = false;
  /** The warm start in progress (tests wait on it). */
  warming: Promise<boolean> = Promise.resolve(false);

  constructor(readonly deps: WarmDeps) {}

  start(): void {
    const { ctx } = this.deps;
    this.#off = ctx.bus.subscribe((e) => {
      if (e.type === "task.started" || e.type === "task.finished" || e.type === "task.failed" || e.type === "task.queued") this.#lastActivity = Date.now();
    });
    this.#timer = setInterval(() => void this.tick(), this.deps.checkEveryMs ?? 30_000);
    this.#timer.unref?.();
    if (ctx.config.config.models.warm_start) this.warming = this.#warm();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#off?.();
  }

  /** Tasks still to run: the queue will start the engine itself. */
  #queued(): number {
    return this.deps.use?.()?.unfinished() ?? 0;
  }

  /** Starts the engine with these models now (a starter just downloaded), unless tasks will start it anyway. */
  warmWith(pick: { model: string; vae?: string; text_encoders: string[] }): Promise<boolean> {
    this.warming = this.#warm(pick);
    return this.warming;
  }

  async #warm(pick?: { model: string; vae?: string; text_encoders: string[] }): Promise<boolean> {
    const { ctx, engine, store } = this.deps;
    const last = pick ?? store.withSet(this.deps.use?.()?.lastModels() ?? null);
    if (!last || this.#queued() > 0) return false;
    let set;
    try {
      const models = resolveModels(
        searchPathFor(ctx),
        { model: last.model, vae: last.vae, text_encoders: last.text_encoders, loras: [] },
        { embeddingsView: ctx.paths.engineEmbeddings },
      );
      set = toModelSet(models);
    } catch (err) {
      ctx.log.info(`warm start skipped: ${(err as Error).message}`);
      return false;
    }
    if (this.#stopped) return false;
    try {
      ctx.log.info(`warm start: loading ${last.model}`);
      await engine.ensure(set);
      this.#lastActivity = Date.now();
      return true;
    } catch (err) {
      ctx.log.warn(`warm start failed: ${(err as Error).message}`);
      return false;
    }
  }

  /** One idle check; `now` injectable for tests. Returns true when it stopped the engine. */
  async tick(now = Date.now()): Promise<boolean> {
    const minutes = this.deps.ctx.config.config.models.idle_unload_minutes;
    const state = this.deps.engine.status().state;
    if (!shouldUnload({ minutes, lastActivity: this.#lastActivity, now, state, queued: this.#queued() })) return false;
    this.deps.ctx.log.info(`engine idle for ${minutes} min: stopping it to free memory`);
    await this.deps.engine.stop();
    return true;
  }
}
