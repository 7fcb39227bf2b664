/**
 * `GET /sdapi/v1/progress`, `POST /sdapi/v1/interrupt` and `POST /sdapi/v1/skip`
 * over our queue: progress is the running task's (whoever queued it: the UI,
 * a script, an A1111 client), job_count the tasks running and waiting. With
 * several tasks running at once (one per GPU) it is the task asked about
 * (`?id_task=`: our task id, or the `force_task_id` an A1111 request named,
 * as A1111's own /internal/progress takes `id_task`), else the oldest running.
 * sd-server cannot stop inside a picture, so interrupt and skip both stop
 * the running task (the engine restarts); the waiting A1111 request then
 * answers with the pictures made so far.
 */
import type { TaskQueue } from "../../queue/queue";
import type { Task } from "../../queue/task";
import type { CompatDeps } from "../deps";
import { a1111App } from "./errors";

/** A1111 `force_task_id` → our task id, per queue (the newest few hundred). */
const named = new WeakMap<TaskQueue, Map<string, string>>();

export function nameTask(queue: TaskQueue, name: string, taskId: string): void {
  let names = named.get(queue);
  if (!names) named.set(queue, (names = new Map()));
  names.set(name.slice(0, 200), taskId);
  if (names.size > 500) names.delete(names.keys().next().value!);
}

/** The task asked about (null unless it runs now), else the oldest running; null when none runs. */
function runningTask(queue: TaskQueue, asked?: string): Task | null {
  const running = queue.runningTasks();
  if (!asked) return running[0]?.task ?? null;
  const id = named.get(queue)?.get(asked) ?? asked;
  return running.find((r) => r.task.id === id)?.task ?? null;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, "").slice(0, 14);

/** A1111's ProgressResponse for the queue's state now (pure but for the clock). */
export function progressOf(queue: TaskQueue, now = Date.now(), asked?: string) {
  const status = queue.status();
  const task = runningTask(queue, asked);
  const live = task ? queue.progressOf(task.id) : null;
  const idleState = {
    skipped: false,
    interrupted: false,
    stopping_generation: false,
    job: "",
    job_count: 0,
    job_timestamp: "0",
    job_no: 0,
    sampling_step: 0,
    sampling_steps: 0,
  };
  if (!task) return { progress: 0, eta_relative: 0, state: { ...idleState, job_count: status.total }, current_image: null, textinfo: null, current_task: null };
  const images = live?.images ?? task.request.num_images;
  const image = live?.image ?? 1;
  const sampling = live?.phase === "sampling";
  const step = sampling ? live!.step : 0;
  const steps = live?.steps ?? task.request.steps;
  // A1111: 0.01 + finished pictures plus the current one's share, capped at 1.
  const progress = Math.min(1, 0.01 + (image - 1) / images + (steps > 0 ? step / steps / images : 0));
  const elapsed = (now - (task.started ?? now)) / 1000;
  const eta = live?.eta != null ? live.eta + ((images - image) * steps) / Math.max(live.rate ?? 1, 1e-6) : progress > 0 ? elapsed / progress - elapsed : 0;
  return {
    progress,
    eta_relative: Math.max(0, eta),
    state: {
      skipped: false,
      interrupted: false,
      stopping_generation: false,
      job: task.id,
      job_count: status.total,
      job_timestamp: stamp(task.started ?? task.created),
      job_no: image - 1,
      sampling_step: step,
      sampling_steps: steps,
    },
    current_image: null,
    textinfo: live?.phase === "loading" ? "Loading the model" : live?.phase === "decoding" ? "Decoding" : null,
    current_task: task.id,
  };
}

function stopRunning(deps: CompatDeps) {
  const task = runningTask(deps.queue);
  // Answer at once like A1111; the stop itself (an engine restart) finishes in the background.
  if (task) void deps.queue.cancel(task.id).catch((err) => deps.ctx.log.warn(`interrupt ${task.id}: ${err}`));
}

export function progressRoutes(deps: CompatDeps) {
  return a1111App()
    .get("/progress", (c) => c.json(progressOf(deps.queue, Date.now(), c.req.query("id_task"))))
    .post("/interrupt", (c) => {
      stopRunning(deps);
      return c.json({});
    })
    .post("/skip", (c) => {
      stopRunning(deps);
      return c.json(null);
    });
}
