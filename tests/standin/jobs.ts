/**
 * The native async job manager, as sd-server's: ids `job_<hex time>_<8 digits>`,
 * one worker, finished jobs expire after a TTL (then 410 for a while), a
 * cap on pending jobs (429), cancel only while queued.
 */
import type { GenRequest } from "./request";
import { videoMime } from "./video";

export type JobStatus = "queued" | "generating" | "completed" | "failed" | "cancelled";

export interface Job {
  id: string;
  status: JobStatus;
  created: number;
  started: number;
  completed: number;
  request: GenRequest;
  images: string[];
  errorCode: string;
  errorMessage: string;
  /** A vid_gen job's container (async_jobs.cpp execute_vid_gen_job). */
  video?: { b64: string; fps: number; frameCount: number };
}

type VideoResult = { bytes: Uint8Array; format: string; fps: number; frameCount: number };
export type Generate = (job: Job) => Promise<{ images: Uint8Array[] } | { video: VideoResult } | { error: string }>;

const now = () => Math.floor(Date.now() / 1000);

export class AsyncJobs {
  jobs = new Map<string, Job>();
  queue: string[] = [];
  expired = new Map<string, number>();
  #nextId = 0;
  #wake?: () => void;

  constructor(
    readonly ttlSeconds: number,
    readonly maxPending: number,
  ) {}

  purge() {
    const t = now();
    for (const [id, until] of this.expired) if (until <= t) this.expired.delete(id);
    for (const [id, job] of this.jobs) {
      if (!job.completed) continue;
      if (t - job.completed >= this.ttlSeconds) {
        this.expired.set(id, t + Math.max(this.ttlSeconds, 60));
        this.jobs.delete(id);
      }
    }
  }

  pending(): number {
    let n = 0;
    for (const job of this.jobs.values()) if (job.status === "queued" || job.status === "generating") n++;
    return n;
  }

  /** Adds a job, or returns undefined when the queue is full. */
  submit(request: GenRequest): Job | undefined {
    this.purge();
    if (this.pending() >= this.maxPending) return undefined;
    const id = `job_${now().toString(16)}_${String(this.#nextId++).padStart(8, "0")}`;
    const job: Job = { id, status: "queued", created: now(), started: 0, completed: 0, request, images: [], errorCode: "", errorMessage: "" };
    this.jobs.set(id, job);
    this.queue.push(id);
    this.#wake?.();
    return job;
  }

  /** The job, or why there is none. */
  find(id: string): Job | "expired" | "not found" {
    this.purge();
    return this.jobs.get(id) ?? (this.expired.has(id) ? "expired" : "not found");
  }

  cancelQueued(job: Job): boolean {
    const at = this.queue.indexOf(job.id);
    if (at < 0) return false;
    this.queue.splice(at, 1);
    job.status = "cancelled";
    job.completed = now();
    job.errorCode = "cancelled";
    job.errorMessage = "job cancelled by client";
    return true;
  }

  toJson(job: Job) {
    const position = job.status === "queued" ? this.queue.indexOf(job.id) + 1 : 0;
    const base = {
      id: job.id,
      kind: job.request.video ? "vid_gen" : "img_gen",
      status: job.status,
      created: job.created,
      started: job.started || null,
      completed: job.completed || null,
      queue_position: position,
    };
    if (job.status === "completed" && job.video) {
      // async_jobs.cpp: one encoded container, not a list of images.
      const format = job.request.outputFormat;
      const result = { output_format: format, mime_type: videoMime(format), fps: job.video.fps, frame_count: job.video.frameCount, b64_json: job.video.b64 };
      return { ...base, result, error: null };
    }
    if (job.status === "completed") {
      return {
        ...base,
        result: { output_format: job.request.outputFormat, images: job.images.map((b64_json, index) => ({ index, b64_json })) },
        error: null,
      };
    }
    if (job.status === "failed" || job.status === "cancelled") {
      return {
        ...base,
        result: null,
        error: { code: job.errorCode || (job.status === "cancelled" ? "cancelled" : "generation_failed"), message: job.errorMessage },
      };
    }
    return { ...base, result: null, error: null };
  }

  /** Runs jobs one at a time, forever. */
  async work(generate: Generate): Promise<never> {
    for (;;) {
      const id = this.queue.shift();
      if (id === undefined) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      const job = this.jobs.get(id);
      if (!job) continue;
      job.status = "generating";
      job.started = now();
      const outcome = await generate(job);
      job.completed = now();
      if ("video" in outcome) {
        job.status = "completed";
        job.video = { b64: Buffer.from(outcome.video.bytes).toString("base64"), fps: outcome.video.fps, frameCount: outcome.video.frameCount };
      } else if ("images" in outcome) {
        job.status = "completed";
        job.images = outcome.images.map((bytes) => Buffer.from(bytes).toString("base64"));
      } else {
        job.status = "failed";
        job.errorCode = "generation_failed";
        job.errorMessage = outcome.error;
      }
      this.purge();
    }
  }
}
