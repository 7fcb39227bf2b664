/**
 * A worker as one of the queue's executors (queue/executors.ts): it takes a
 * task when it is ready and has the task's model files (by sha256, from the
 * list its last check read; or may download them), runs it there
 * (remote-run.ts) and gives the task back to the queue when it goes away or
 * refuses. Incognito tasks and kinds other than pictures (upscaling an output
 * of this computer) always stay here.
 */
import type { ModelHashes } from "../models/hashes";
import type { SearchPath } from "../models/roots";
import type { TaskExecutor } from "../queue/executors";
import type { Task } from "../queue/task";
import type { WorkerBoard } from "./board";
import { WorkerDeclinedError, WorkerRefusedError } from "./errors";
import { matchModels } from "./model-match";
import { runOnWorker, type SourceOf } from "./remote-run";
import type { TaskFiles } from "./task-files";

export interface WorkerExecutorDeps {
  board: WorkerBoard;
  models: () => SearchPath;
  hashes: () => ModelHashes | undefined;
  downloadMissing: () => boolean;
  sourceOf: SourceOf;
  /** The files each waiting task needs, with their sha256 (shared by every worker). */
  files: TaskFiles;
  /** Whether a task is a plain picture (the queue's image kind): a worker's POST /api/tasks makes nothing else (videos, upscales stay here). */
  picture: (task: Task) => boolean;
}

/** The score of a task a worker has every file for (an idle engine here that holds the set scores 2, an empty one 1). */
const HAS_FILES = 1;
/** The score of a task whose files the worker would first download. */
const MUST_DOWNLOAD = 0;

export function workerExecutor(id: string, d: WorkerExecutorDeps): TaskExecutor {
  const worker = () => d.board.o.store.get(id);
  /** Tasks this worker refused as requests: not sent there again. */
  const refusedTasks = new Set<string>();
  let workerTask: string | undefined;
  return {
    id: `worker:${id}`,
    get label() {
      return worker().name;
    },
    kind: "worker",
    state: () => (["ready", "busy"].includes(d.board.live(id).state) ? "ready" : "offline"),
    heldKey: () => null,
    score(task: Task) {
      if (task.incognito || !d.picture(task) || refusedTasks.has(task.id)) return null;
      const files = d.files.of(task);
      if (!files) return null;
      const match = matchModels(files, d.board.live(id).models);
      if (!match.missing.length) return HAS_FILES;
      const mayDownload = d.downloadMissing() && d.board.live(id).guestDownloads;
      return mayDownload && match.missing.every((m) => d.sourceOf(m)) ? MUST_DOWNLOAD : null;
    },
    async run(active, hooks) {
      const live = d.board.live(id);
      // The worker may be removed while it runs the task (it finishes there): its name and client are taken now.
      const name = worker().name;
      // Where it runs, on its card while it runs and after (task.notes, stored with the task).
      active.task.notes = { ...active.task.notes, worker: { id, name } };
      d.board.busy(id, active.task.id);
      let downloaded = false;
      try {
        const outcome = await runOnWorker(active.task, {
          client: live.client,
          name,
          models: d.models(),
          hashes: d.hashes()!,
          signal: active.abort.signal,
          downloadMissing: d.downloadMissing(),
          sourceOf: d.sourceOf,
          progress: (p) => hooks.progress(p),
          savePicture: hooks.savePicture,
          started: (wt) => (workerTask = wt),
          known: live.models,
          downloaded: () => (downloaded = true),
        });
        if (outcome.state !== "returned") return outcome;
        // Not run here after all: it waits in the queue again, to run somewhere else.
        delete active.task.notes?.worker;
        if (active.task.notes && !Object.keys(active.task.notes).length) delete active.task.notes;
        // A task it declined, or refused as a request (400 model_not_found, …), would be again: it is not sent there again.
        // Refusing the token or failing (401, 403, 5xx), or being gone, takes the worker out until a check finds it back.
        const status = outcome.why instanceof WorkerRefusedError ? outcome.why.httpStatus : 0;
        if (outcome.why instanceof WorkerDeclinedError || (status >= 400 && status < 500 && status !== 401 && status !== 403)) refusedTasks.add(active.task.id);
        else d.board.mark(id, outcome.why);
        return { state: "returned", reason: `${name}: ${outcome.why.message}` };
      } finally {
        d.files.forget(active.task.id);
        workerTask = undefined;
        d.board.busy(id, undefined);
        // What it has changed with a download: read it again now (else the regular checks do).
        if (downloaded && d.board.peek(id)?.state === "ready") void d.board.check(id);
      }
    },
    async cancel() {
      // The run sees the abort and cancels the worker's task itself; this makes it prompt.
      if (workerTask) await d.board.peek(id)?.client.cancel(workerTask).catch(() => {});
    },
    on: (listener) => d.board.onChange(listener),
  };
}
