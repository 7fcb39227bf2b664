/**
 * Jobs on the running sd-server: submit, poll, cancel. Each job belongs to
 * the process (epoch) it was sent to; when that process is gone, so is the
 * job, with the reason. The status follows the jobs: ready ⇄ busy.
 */
import { EngineFailure } from "./engine-failure";
import { cancelQueuedJob, readCapabilities, readJob, submitJob } from "./process/client";
import { JobBook } from "./process/jobs";
import type { Supervisor } from "./process/supervisor";
import type { EngineStatusBoard } from "./status-board";
import type { EngineCapabilities, EngineErrorInfo, EngineJob, ImgGenBody, VidGenBody } from "./types";

export interface EngineJobsHost {
  supervisor: Supervisor;
  board: EngineStatusBoard;
  /** Restarts the process: sd-server cannot stop a running job over HTTP. */
  restart: () => Promise<void>;
}

export class EngineJobs {
  #book = new JobBook();

  constructor(private readonly host: EngineJobsHost) {}

  async submit(body: ImgGenBody | VidGenBody, route: "img_gen" | "vid_gen" = "img_gen"): Promise<string> {
    const running = this.#running();
    const id = await submitJob(running.port, body, route);
    this.#book.add(id, running.epoch);
    this.updateBusy();
    return id;
  }

  async capabilities(): Promise<EngineCapabilities> {
    return readCapabilities(this.#running().port);
  }

  #running() {
    const running = this.host.supervisor.running;
    const status = this.host.board.status;
    if (!running) throw new EngineFailure(status.error ?? { code: "crashed", message: `The engine is not running (${status.state}).` });
    return running;
  }

  async poll(jobId: string): Promise<EngineJob> {
    const record = this.#book.get(jobId);
    const running = this.host.supervisor.running;
    if (record && (!running || running.epoch !== record.epoch)) return this.#gone(jobId);
    if (!running) throw new EngineFailure({ code: "crashed", message: `The engine is not running (${this.host.board.status.state}).` });
    let job: EngineJob;
    try {
      job = await readJob(running.port, jobId);
    } catch (err) {
      // A refused connection often comes a moment before the exit is seen: give the exit a moment.
      if (record && (await this.#processGone(record.epoch))) return this.#gone(jobId);
      throw err;
    }
    await this.#book.explain(job);
    this.updateBusy();
    return job;
  }

  async cancel(jobId: string): Promise<void> {
    const running = this.host.supervisor.running;
    if (!this.#book.markCancelled(jobId)) return;
    if (!running || running.epoch !== this.#book.get(jobId)!.epoch) return;
    if (await cancelQueuedJob(running.port, jobId)) this.#finish(jobId);
    else await this.host.restart();
  }

  /** The process of this epoch exited: its jobs are gone, with this reason. */
  lost(epoch: number, error: EngineErrorInfo) {
    this.#book.lost(epoch, error);
  }

  /** An output line, kept for explaining a job that fails. */
  noteLine(line: string, stream: "stdout" | "stderr") {
    this.#book.noteLine(line, stream);
  }

  updateBusy() {
    const running = this.host.supervisor.running;
    if (!running) return;
    const busy = this.#book.busy(running.epoch);
    const board = this.host.board;
    const state = board.status.state;
    if (busy && state === "ready") board.set({ ...board.status, state: "busy" });
    else if (!busy && state === "busy") board.set({ ...board.status, state: "ready" });
  }

  async #processGone(epoch: number, waitMs = 2_000): Promise<boolean> {
    const supervisor = this.host.supervisor;
    const until = Date.now() + waitMs;
    while (supervisor.running?.epoch === epoch && Date.now() < until) await Bun.sleep(20);
    return supervisor.running?.epoch !== epoch;
  }

  async #gone(jobId: string): Promise<EngineJob> {
    const job = await this.#book.gone(jobId);
    this.updateBusy();
    return job;
  }

  #finish(jobId: string) {
    this.#book.finish(jobId);
    this.updateBusy();
  }
}
