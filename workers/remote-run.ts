/**
 * Runs one task on a worker: its model files matched by sha256 to the
 * worker's (or, when allowed, downloaded there from where they came from),
 * the request sent with the worker's names for them, progress relayed, and
 * the finished pictures fetched and saved here with this computer's metadata
 * (the worker's name in it). A worker that stops answering, or refuses, gives
 * the task back (`returned`): it waits in the queue again, nothing lost.
 */
import type { ResolvedRequest } from "../common/image-request";
import type { ModelHashes } from "../models/hashes";
import { resolveModels, type ResolvedModels } from "../models/resolve";
import type { SearchPath } from "../models/roots";
import type { ImageExtras } from "../queue/outputs";
import { imageMetadata } from "../queue/save";
import type { Task, TaskError } from "../queue/task";
import type { WorkerClient, WorkerModel, WorkerTask } from "./client";
import { WorkerDeclinedError, WorkerRefusedError, WorkerUnreachableError } from "./errors";
import { followTask } from "./follow";
import { matchModels, neededFiles, requestForWorker, type Match, type NeededFile } from "./model-match";

/** Where a missing model file can be downloaded from, as the worker's POST /api/models/download takes it; null: not known. */
export type SourceOf = (file: NeededFile & { sha256: string }) => Record<string, unknown> | null;

export type RemoteOutcome =
  | { state: "succeeded" }
  | { state: "cancelled" }
  | { state: "failed"; error: TaskError }
  /** Not run there: the task goes back to the queue (the worker is gone, refused, or declined this task; `why` says). */
  | { state: "returned"; why: Error };

export interface RemoteRunDeps {
  client: WorkerClient;
  /** The worker's name here, written into the pictures' metadata. */
  name: string;
  models: SearchPath;
  hashes: ModelHashes;
  signal: AbortSignal;
  /** Download missing files on the worker (Settings → Workers); else a task it lacks files for is not run there. */
  downloadMissing: boolean;
  sourceOf: SourceOf;
  progress(p: WorkerTask["progress"] & { phase: "loading" | "sampling" | "decoding" | "upscaling" }): void;
  savePicture(index: number, png: Uint8Array, request: ResolvedRequest, extras?: ImageExtras): Promise<unknown>;
  /** The worker's files as its last check listed them (read again only when some seem missing). */
  known: WorkerModel[];
  /** Heard once the worker downloaded files for this task (its list changed). */
  downloaded?(): void;
  /** The worker's task id once queued there (for a cancel). */
  started?(workerTaskId: string): void;
  /** How long the worker may take to download missing files (default 6 hours), and how often it is asked (default 2 s). */
  downloadWaitMs?: number;
  downloadCheckMs?: number;
}

const PHASES = new Set(["loading", "sampling", "decoding", "upscaling"]);

/** The files a task needs with their sha256 here (hashing them now if need be). */
export async function hashedNeeds(request: ResolvedRequest, models: ResolvedModels, hashes: ModelHashes): Promise<(NeededFile & { sha256: string })[]> {
  const needs = neededFiles(request, models);
  const sums = await Promise.all(needs.map((n) => hashes.sha256(n.path)));
  return needs.map((n, i) => {
    if (!sums[i]) throw new Error(`${n.path} could not be read to hash it`);
    return { ...n, sha256: sums[i]! };
  });
}

export async function runOnWorker(task: Task, d: RemoteRunDeps): Promise<RemoteOutcome> {
  let workerTask: string | undefined;
  try {
    const models = resolveModels(d.models, task.request);
    const needs = await hashedNeeds(task.request, models, d.hashes);
    const match = await filesThere(needs, d);
    if (match.missing.length) return { state: "returned", why: new WorkerDeclinedError(`${d.name} lacks ${match.missing.map((m) => m.name).join(", ")}`) };
    if (d.signal.aborted) return { state: "cancelled" };
    workerTask = await d.client.submit(requestForWorker(task.request, match.names), d.signal);
    d.started?.(workerTask);
    const ended = await followTask(d.client, workerTask, {
      signal: d.signal,
      onProgress: (p) => d.progress({ ...p, phase: PHASES.has(p.phase ?? "") ? (p.phase as "sampling") : "sampling" }),
    });
    if (ended.state === "cancelled")
      return d.signal.aborted ? { state: "cancelled" } : { state: "returned", why: new WorkerDeclinedError(`${d.name} stopped the task`) };
    if (ended.state === "failed") {
      const e = ended.error ?? { code: "worker_failed", message: "the worker could not make the picture" };
      return { state: "failed", error: { code: e.code, message: `on ${d.name}: ${e.message}` } };
    }
    const images = [...ended.images];
    if (!images.length) return { state: "failed", error: { code: "no_images", message: `${d.name} finished without a picture` } };
    // Fetched before any is saved: a worker gone half-way leaves nothing half-saved here.
    const pictures = await Promise.all(images.map((img) => d.client.picture(img.url, d.signal)));
    for (const [index, png] of pictures.entries()) {
      const { request, extras } = await imageMetadata(d.hashes, task, index, models);
      await d.savePicture(index, png, { ...request, worker: d.name }, extras);
    }
    return { state: "succeeded" };
  } catch (err) {
    if (d.signal.aborted) {
      if (workerTask) await d.client.cancel(workerTask).catch(() => {});
      return { state: "cancelled" };
    }
    const giveBack = err instanceof WorkerUnreachableError || err instanceof WorkerRefusedError || err instanceof WorkerDeclinedError;
    if (giveBack) return { state: "returned", why: err };
    throw err;
  }
}

/** The worker's names for the files; missing ones downloaded there first when allowed and their source is known. */
async function filesThere(needs: (NeededFile & { sha256: string })[], d: RemoteRunDeps): Promise<Match> {
  let match = matchModels(needs, d.known);
  if (match.missing.length) match = matchModels(needs, await d.client.models());
  if (!match.missing.length || !d.downloadMissing) return match;
  const asks = match.missing.map((m) => d.sourceOf(m));
  if (asks.some((a) => !a)) return match;
  for (const ask of asks) {
    await d.client.download(ask!).catch((err) => {
      // Already downloading or there (409): wait for it like for one asked now.
      if (err instanceof WorkerRefusedError && err.httpStatus === 409) return;
      // Refusing a download refuses this task, not every task: the worker stays in use.
      if (err instanceof WorkerRefusedError && err.httpStatus < 500)
        throw new WorkerDeclinedError(`${d.name} did not download ${String(ask!.name)}: ${err.message}`);
      throw err;
    });
  }
  const until = performance.now() + (d.downloadWaitMs ?? 6 * 3600_000);
  let list: WorkerModel[];
  do {
    if (d.signal.aborted) return match;
    d.progress({ phase: "loading", step: needs.length - match.missing.length, steps: needs.length, rate: null, eta: null });
    await Bun.sleep(d.downloadCheckMs ?? 2_000);
    list = await d.client.models();
    match = matchModels(needs, list);
  } while (match.missing.length && performance.now() < until);
  d.downloaded?.();
  return match;
}
