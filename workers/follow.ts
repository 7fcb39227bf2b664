/**
 * Follows one task on a worker to its end: its event stream (GET /api/events,
 * Server-Sent Events) relays the task's progress as it comes; the task itself
 * (GET /api/tasks/:id) is read when the stream says it ended, when the stream
 * breaks, and every few seconds besides (an event stream may skip events: a
 * resync). A worker that stops answering throws WorkerUnreachableError: the
 * caller gives the task back to the queue.
 */
import type { WorkerClient, WorkerTask } from "./client";
import { WorkerUnreachableError } from "./errors";

export interface FollowOptions {
  signal: AbortSignal;
  onProgress(p: WorkerTask["progress"]): void;
  /** How often the task is read besides the stream (default 2 s). */
  checkMs?: number;
  /** No byte from the stream for this long (the worker sends a ping every 15 s) counts as a break (default 40 s). */
  silentMs?: number;
}

/** The most one event may be: the worker's progress events are a few hundred bytes. */
const MAX_EVENT = 1024 * 1024;
const FINAL = new Set(["succeeded", "failed", "cancelled"]);

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Pure: splits Server-Sent Events text into whole events and the unfinished rest. */
export function parseSse(text: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = text.replaceAll("\r\n", "\n").split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    const e: SseEvent = { event: "message", data: "" };
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") e.event = value;
      else if (field === "data") data.push(value);
      else if (field === "id") e.id = value;
    }
    e.data = data.join("\n");
    if (data.length) events.push(e);
  }
  return { events, rest };
}

/** Resolves with the worker's task once it ended there. */
export async function followTask(client: WorkerClient, taskId: string, o: FollowOptions): Promise<WorkerTask> {
  for (let breaks = 0; ; breaks++) {
    const local = new AbortController();
    const stop = () => local.abort();
    o.signal.addEventListener("abort", stop, { once: true });
    try {
      const response = await client.events(AbortSignal.any([o.signal, local.signal]));
      const ended = await readUntilEnd(client, taskId, response, o, local);
      if (ended) return ended;
    } catch (err) {
      if (o.signal.aborted) throw err;
      // The stream broke or would not open: is the worker still there? Reading the task says.
    } finally {
      o.signal.removeEventListener("abort", stop);
      local.abort();
    }
    const task = await client.task(taskId, o.signal);
    if (FINAL.has(task.state)) return task;
    if (breaks >= 5) throw new WorkerUnreachableError(`${client.url}'s event stream broke ${breaks + 1} times`);
  }
}

/** Reads the stream until the task ends (its final view) or the stream ends (null). */
async function readUntilEnd(client: WorkerClient, taskId: string, response: Response, o: FollowOptions, local: AbortController): Promise<WorkerTask | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let lastByte = performance.now();
  let ended: WorkerTask | null = null;
  // The task as it is now (it may have ended before the stream opened), then every few seconds.
  const check = async () => {
    const task = await client.task(taskId, o.signal).catch(() => null);
    if (task && FINAL.has(task.state)) (ended = task), local.abort();
    if (performance.now() - lastByte > (o.silentMs ?? 40_000)) local.abort();
  };
  void check();
  const timer = setInterval(() => void check(), o.checkMs ?? 2_000);
  try {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (ended) return ended;
      if (done) return null;
      lastByte = performance.now();
      buffer += decoder.decode(value, { stream: true });
      if (buffer.length > MAX_EVENT) throw new WorkerUnreachableError(`${client.url} sent an event over ${MAX_EVENT} bytes`);
      const { events, rest } = parseSse(buffer);
      buffer = rest;
      for (const e of events) {
        if (!e.event.startsWith("task.")) continue;
        let data: { id?: string } & Record<string, unknown>;
        try {
          data = JSON.parse(e.data);
        } catch {
          continue;
        }
        if (data.id !== taskId) continue;
        if (e.event === "task.progress") o.onProgress(data as unknown as WorkerTask["progress"]);
        if (e.event === "task.finished" || e.event === "task.failed") {
          const task = await client.task(taskId, o.signal);
          if (FINAL.has(task.state)) return task;
        }
      }
    }
  } finally {
    clearInterval(timer);
    await reader.cancel().catch(() => {});
  }
}
