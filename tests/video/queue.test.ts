/**
 * Video tasks are queue tasks: paused and ordered with the pictures, kept over a restart of the app,
 * cancelled while the engine samples (no video saved), removed and brought back, and removed with their
 * files deleted once the undo has expired (video, poster and sidecar).
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { standin, taskState, until, waitState, type QueueApp } from "../queue/harness";
import { startVideoApp, videoData, WAN } from "./harness";

setDefaultTimeout(120_000);
const request = { prompt: "waves on a beach", ...WAN, width: 64, height: 64, frames: 5, fps: 8, steps: 2 };
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function submit(q: QueueApp, over: Record<string, unknown> = {}): Promise<string> {
  const res = await q.api("/api/videos", { method: "POST", json: { ...request, ...over } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}
const pause = (q: QueueApp, paused: boolean) => q.api("/api/queue", { method: "PATCH", json: { paused } });

test("paused, ordered and kept over a restart; then runs to a saved video", async () => {
  const data = videoData();
  cleanups.push(data.remove);
  const build = standin(data.dir);
  let q = await startVideoApp(data.dir, build);
  expect((await pause(q, true)).status).toBe(200);
  const first = await submit(q, { prompt: "first" });
  const second = await submit(q, { prompt: "second" });
  expect((await q.api("/api/queue", { method: "PATCH", json: { order: [second, first] } })).status).toBe(200);
  expect((await taskState(q, first)).state).toBe("queued");
  await q.stop();

  q = await startVideoApp(data.dir, build);
  cleanups.push(() => q.stop());
  const list = (await (await q.api("/api/tasks")).json()) as { tasks: { id: string; kind: string; state: string }[] };
  const queued = list.tasks.filter((t) => t.state === "queued");
  expect(queued.map((t) => [t.id, t.kind])).toEqual([
    [second, "video"],
    [first, "video"],
  ]);
  await pause(q, false);
  const done = await waitState(q, first, ["succeeded", "failed"]);
  expect(done.state).toBe("succeeded");
  const views = await Promise.all([second, first].map(async (id) => (await (await q.api(`/api/tasks/${id}`)).json()) as { finished: number; videos: unknown[] }));
  expect(views[0]!.finished).toBeLessThanOrEqual(views[1]!.finished);
  expect(views.map((v) => v.videos.length)).toEqual([1, 1]);
});

describe("cancel and remove", () => {
  test("cancelled while sampling: the engine restarts, no video is saved", async () => {
    const data = videoData();
    cleanups.push(data.remove);
    const q = await startVideoApp(data.dir, standin(data.dir, { stepMs: 400 }));
    cleanups.push(() => q.stop());
    const id = await submit(q, { steps: 30 });
    await until("sampling", async () => (await taskState(q, id)).progress.phase === "sampling");
    const res = await q.api(`/api/tasks/${id}/cancel`, { method: "POST" });
    expect(res.status).toBe(200);
    const t = await waitState(q, id, ["cancelled", "failed", "succeeded"]);
    expect(t.state).toBe("cancelled");
    expect(((await (await q.api(`/api/tasks/${id}`)).json()) as { videos: unknown[] }).videos).toEqual([]);
  });

  test("removed and undone; removed with its files: deleted once the undo expired", async () => {
    const data = videoData();
    cleanups.push(data.remove);
    const q = await startVideoApp(data.dir, standin(data.dir), { undoMs: 300 });
    cleanups.push(() => q.stop());
    const id = await submit(q);
    expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");
    const video = q.hub.videosOf({ id, incognito: false } as never)[0]!;
    const files = [video.path!, video.poster!, video.sidecar!];
    expect(files.every((f) => existsSync(f))).toBe(true);

    const removed = (await (await q.api("/api/tasks/remove", { method: "POST", json: { ids: [id] } })).json()) as { undo: string };
    expect(((await (await q.api("/api/tasks")).json()) as { tasks: { id: string }[] }).tasks.map((t) => t.id)).not.toContain(id);
    expect((await q.api("/api/tasks/undo", { method: "POST", json: { undo: removed.undo } })).status).toBe(200);
    expect(((await (await q.api("/api/tasks")).json()) as { tasks: { id: string }[] }).tasks.map((t) => t.id)).toContain(id);

    expect((await q.api("/api/tasks/remove", { method: "POST", json: { ids: [id], delete_pictures: true } })).status).toBe(200);
    await until("the files deleted", () => files.every((f) => !existsSync(f)), 20_000, 100);
    const deleted = q.events.find((e) => e.type === "task.pictures_deleted" && (e.data as { id: string }).id === id);
    expect((deleted?.data as { paths: string[] }).paths.sort()).toEqual([...files].sort());
    expect((await q.api(`/api/videos/${video.id}`)).status).toBe(404);
  });
});
