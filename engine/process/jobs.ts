/**
 * What the manager remembers about the jobs it submitted: which process
 * (epoch) holds each, which were cancelled, why a dead process went away,
 * and a known error line (e.g. out of memory) seen during the current job,
 * since sd-server's own job error only says "generate_image returned no results".
 */
import type { EngineErrorInfo, EngineJob } from "../types";
import { classifyLine } from "./errors";

interface JobRecord {
  epoch: number;
  cancelled: boolean;
  done: boolean;
}

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

export class JobBook {
  #jobs = new Map<string, JobRecord>();
  #lost = new Map<number, EngineErrorInfo>();
  #jobError?: EngineErrorInfo;
  #waiting = new Map<number, (() => void)[]>();
  #onError?: () => void;

  add(id: string, epoch: number) {
    this.#jobs.set(id, { epoch, cancelled: false, done: false });
    this.#jobError = undefined;
  }

  get(id: string): Readonly<JobRecord> | undefined {
    return this.#jobs.get(id);
  }

  /** Marks a job cancelled by us; false when it is unknown or already over. */
  markCancelled(id: string): boolean {
    const record = this.#jobs.get(id);
    if (!record || record.done) return false;
    record.cancelled = true;
    return true;
  }

  finish(id: string) {
    const record = this.#jobs.get(id);
    if (record) record.done = true;
    if (this.#jobs.size > 500) for (const [key, r] of this.#jobs) if (r.done && this.#jobs.size > 250) this.#jobs.delete(key);
  }

  /** Whether the process of this epoch has jobs that are not over. */
  busy(epoch: number): boolean {
    for (const r of this.#jobs.values()) if (!r.done && r.epoch === epoch) return true;
    return false;
  }

  /** The process of `epoch` is gone, for this reason. */
  lost(epoch: number, why: EngineErrorInfo) {
    this.#lost.set(epoch, why);
    if (this.#lost.size > 50) this.#lost.delete(this.#lost.keys().next().value!);
    for (const wake of this.#waiting.get(epoch) ?? []) wake();
    this.#waiting.delete(epoch);
  }

  /** The answer for a job whose process is gone; waits briefly for the reason (the exit is classified once its output is read). */
  async gone(id: string, waitMs = 2_000): Promise<EngineJob> {
    const record = this.#jobs.get(id);
    if (record && !record.cancelled && !this.#lost.has(record.epoch)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        const list = this.#waiting.get(record.epoch) ?? [];
        list.push(() => (clearTimeout(timer), resolve()));
        this.#waiting.set(record.epoch, list);
      });
    }
    this.finish(id);
    if (record?.cancelled) return { id, status: "cancelled", error: { code: "cancelled", message: "the job was stopped" } };
    const why = record && this.#lost.get(record.epoch);
    return { id, status: "failed", error: { code: "engine_restarted", message: why?.message ?? "the engine restarted while the job was pending" } };
  }

  /** Reads one output line of the engine for known errors. */
  noteLine(line: string, stream: "stdout" | "stderr") {
    if (stream !== "stderr" && !line.startsWith("[ERROR]")) return;
    const info = classifyLine(line);
    if (!info) return;
    this.#jobError = info;
    this.#onError?.();
  }

  /**
   * Records a polled job's state and puts the known cause into a bare failure.
   * The output pipes and HTTP race: a failure may be polled before its error
   * lines are read, so a bare failure waits up to `waitMs` for them.
   */
  async explain(job: EngineJob, waitMs = 1_000): Promise<EngineJob> {
    if (TERMINAL.has(job.status)) this.finish(job.id);
    const bare = job.status === "failed" && job.error?.code === "generation_failed";
    if (bare && !this.#jobError) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.#onError = () => (clearTimeout(timer), resolve());
      });
      this.#onError = undefined;
    }
    const known = bare ? this.#jobError : undefined;
    if (known) job.error = { code: known.code, message: known.hint ? `${known.message} ${known.hint}` : known.message };
    return job;
  }
}
