/**
 * The engine's status as others see it: kept here, published on the bus
 * (`engine.state`, `engine.progress`, batched `engine.log`) and to the
 * manager's listeners. Pending log lines go out before a state change, so
 * the UI sees the last lines before "crashed".
 */
import type { EventBus } from "../core/events/bus";
import { LogBatcher } from "./log-batch";
import { Listeners } from "./process/listeners";
import type { EngineEvent, EngineProgress, EngineStatus } from "./types";

declare module "../core/events/bus" {
  interface EventMap {
    "engine.state": EngineStatus;
    "engine.progress": EngineProgress;
    /** sd-server's output lines (stdout and stderr), batched (log-batch.ts). */
    "engine.log": { lines: string[] };
  }
}

export class EngineStatusBoard {
  #status: EngineStatus = { state: "absent" };
  #listeners = new Listeners<EngineEvent>();
  #logBatch: LogBatcher;

  constructor(private readonly bus?: EventBus) {
    this.#logBatch = new LogBatcher((lines) => bus?.publish("engine.log", { lines }));
  }

  get status(): EngineStatus {
    return this.#status;
  }

  on(listener: (event: EngineEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  set(status: EngineStatus) {
    this.#logBatch.flush(); // the lines that led here go out first
    const clean = Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined)) as unknown as EngineStatus;
    this.#status = clean;
    this.bus?.publish("engine.state", clean);
    this.#listeners.emit({ type: "state", status: { ...clean } });
  }

  progress(progress: EngineProgress) {
    this.bus?.publish("engine.progress", progress);
    this.#listeners.emit({ type: "progress", progress });
  }

  log(line: string, stream: "stdout" | "stderr") {
    this.#logBatch.add(line);
    this.#listeners.emit({ type: "log", line, stream });
  }

  flushLog() {
    this.#logBatch.flush();
  }

  /** Resolves once the engine is up, or has failed or stopped. */
  settled(): Promise<void> {
    const done = () => ["ready", "busy", "failed", "stopped"].includes(this.#status.state);
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on((e) => {
        if (e.type === "state" && done()) {
          off();
          resolve();
        }
      });
    });
  }
}
