/**
 * Queue habits over a real socket with the stand-in engine: remove and undo
 * (a waiting task back to its place, across a launcher restart), "Clear
 * finished", pictures deleted only when asked and only after the undo
 * expired, the pictures of a task as a zip whose files keep their metadata,
 * and the recent sizes.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readImageMetadata } from "../../pictures/metadata/read";
import { png } from "./images";
import { standin, startQueueApp, taskState, tempData, waitState, type QueueApp } from "./harness";
import { unzip } from "../unzip";

setDefaultTimeout(90_000);
const data = tempData("ed-queue-removal-");
afterAll(() => data.remove());

const request = { prompt: "a red fox in snow", model: "sd-test.safetensors", steps: 2, width: 64, height: 64 };


type Json = Record<string, unknown>;
const json = async (res: Response) => (await res.json()) as Json;
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe("remove, undo, zip, recent sizes", () => {
  let q: QueueApp;
  afterAll(async () => q?.stop());
  const submit = async (body: Json) => ((await json(await q.api("/api/tasks", { method: "POST", json: { ...request, ...body } }))).id as string);
  const listed = async () => ((await json(await q.api("/api/tasks"))).tasks as { id: string }[]).map((t) => t.id);
  const ids = {} as Record<"a" | "b" | "c" | "d" | "e", string>;
  const picturePaths = (taskId: string) => {
    const db = new Database(join(data.dir, "easy-diffusion.db"), { readonly: true });
    const rows = db.query<{ path: string }, [string]>("SELECT path FROM images WHERE task_id = ? ORDER BY created, rowid").all(taskId);
    db.close();
    return rows.map((r) => r.path);
  };

  test("a task's pictures as one zip: named by place and seed, each file as saved with its metadata", async () => {
    q = await startQueueApp(data.dir, standin(data.dir));
    ids.a = await submit({ seed: 10, num_images: 3 });
    ids.b = await submit({ seed: 20, width: 128, height: 64 });
    for (const id of [ids.a, ids.b]) expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");

    const res = await q.api(`/api/tasks/${ids.a}/pictures.zip`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain(`pictures-${ids.a}.zip`);
    const entries = await unzip(new Uint8Array(await res.arrayBuffer()));
    expect([...entries.keys()]).toEqual(["1-seed10.png", "2-seed11.png", "3-seed12.png"]);
    const task = await taskState(q, ids.a);
    for (const [i, image] of task.images.entries()) {
      const entry = entries.get(`${i + 1}-seed${image.seed}.png`)!;
      expect(new Uint8Array(entry)).toEqual(new Uint8Array(await (await q.api(image.url)).arrayBuffer()));
      const meta = readImageMetadata(new Uint8Array(entry));
      expect(meta.source).toBe("easy-diffusion");
      expect(meta.settings).toMatchObject({ prompt: "a red fox in snow", seed: image.seed, width: 64, height: 64 });
    }
  });

  test("the zip: 404 for an unknown task, refused for incognito and for pictures outside the outputs folder", async () => {
    expect((await q.api("/api/tasks/nope/pictures.zip")).status).toBe(404);
    const incognito = await submit({ seed: 5, incognito: true });
    await waitState(q, incognito, ["succeeded"]);
    const refused = await q.api(`/api/tasks/${incognito}/pictures.zip`);
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe("incognito");
    // A row pointing outside the outputs folder (a tampered database) is never read.
    const outside = join(data.dir, "secret.png");
    writeFileSync(outside, png());
    const db = new Database(join(data.dir, "easy-diffusion.db"));
    db.query("INSERT INTO tasks (id, state, position, request, created) SELECT 'tevil', 'succeeded', 0, request, 1 FROM tasks WHERE id = ?").run(ids.a!);
    db.query("INSERT INTO images (id, task_id, path, seed, width, height, format, created) VALUES ('ievil', 'tevil', ?, 1, 8, 8, 'png', 1)").run(outside);
    db.close();
    const evil = await q.api("/api/tasks/tevil/pictures.zip");
    expect(evil.status).toBe(409);
    expect(await errorCode(evil)).toBe("no_pictures");
  });

  test("remove a waiting task and finished ones; undo works after a restart and puts the waiting one back in its place", async () => {
    await q.api("/api/queue", { method: "PATCH", json: { paused: true } });
    for (const k of ["c", "d", "e"] as const) ids[k] = await submit({ seed: 30 });
    const removeD = await q.api("/api/tasks/remove", { method: "POST", json: { ids: [ids.d] } });
    expect(removeD.status).toBe(200);
    const d = (await removeD.json()) as { undo: string; removed: string[]; until: number };
    expect(d.removed).toEqual([ids.d!]);
    expect(await listed()).not.toContain(ids.d);
    expect(await taskState(q, ids.d!)).toMatchObject({ state: "cancelled", removed: { undo: d.undo } });
    expect(await json(await q.api("/api/queue"))).toMatchObject({ total: 2 });

    const removeA = (await json(await q.api("/api/tasks/remove", { method: "POST", json: { ids: [ids.a] } }))) as { undo: string };
    const removeB = (await json(await q.api("/api/tasks/remove", { method: "POST", json: { ids: [ids.b], delete_pictures: true } }))) as { undo: string };
    expect(await listed()).not.toContain(ids.a);
    expect(await listed()).not.toContain(ids.b);
    expect(q.events.filter((e) => e.type === "task.removed").map((e) => (e.data as { ids: string[] }).ids)).toEqual([[ids.d!], [ids.a!], [ids.b!]]);

    // Nothing lost: the removals are on disk, the launcher restarts, undo still works.
    await q.stop();
    q = await startQueueApp(data.dir, standin(data.dir));
    expect(await listed()).not.toContain(ids.d);
    expect(await json(await q.api("/api/queue"))).toMatchObject({ total: 2, paused: true });
    const undoD = await q.api("/api/tasks/undo", { method: "POST", json: { undo: d.undo } });
    expect(await json(undoD)).toEqual({ restored: [ids.d] });
    expect((await taskState(q, ids.d!)).state).toBe("queued");
    const order = (await json(await q.api("/api/queue", { method: "PATCH", json: {} }))).order;
    expect(order).toEqual([ids.c, ids.d, ids.e]);
    // The same token twice: nothing left to undo.
    expect((await q.api("/api/tasks/undo", { method: "POST", json: { undo: d.undo } })).status).toBe(404);

    expect(await json(await q.api("/api/tasks/undo", { method: "POST", json: { undo: removeA.undo } }))).toEqual({ restored: [ids.a] });
    expect(await json(await q.api("/api/tasks/undo", { method: "POST", json: { undo: removeB.undo } }))).toEqual({ restored: [ids.b] });
    expect(await listed()).toEqual(expect.arrayContaining([ids.a, ids.b]));
    expect((await taskState(q, ids.a!)).images).toHaveLength(3);
    for (const path of [...picturePaths(ids.a!), ...picturePaths(ids.b!)]) expect(existsSync(path)).toBe(true);
  });

  test("bad removals are refused with a reason", async () => {
    expect(await errorCode(await q.api("/api/tasks/remove", { method: "POST", json: { ids: ["nope"] } }))).toBe("not_found");
    expect(await errorCode(await q.api("/api/tasks/remove", { method: "POST", json: {} }))).toBe("bad_request");
    expect((await q.api("/api/tasks/remove", { method: "POST", json: { ids: "x" } })).status).toBe(400);
    expect((await q.api("/api/tasks/undo", { method: "POST", json: { undo: "unknown" } })).status).toBe(404);
    expect((await q.api("/api/tasks/undo", { method: "POST", json: {} })).status).toBe(400);
  });

  test("Clear finished hides every finished task and keeps waiting ones; undo brings them all back", async () => {
    const before = await listed();
    const cleared = (await json(await q.api("/api/tasks/remove", { method: "POST", json: { finished: true } }))) as { undo: string; removed: string[] };
    expect(cleared.removed).toEqual(expect.arrayContaining([ids.a, ids.b, "tevil"]));
    expect(await listed()).toEqual([ids.c, ids.d, ids.e]);
    await q.api("/api/tasks/undo", { method: "POST", json: { undo: cleared.undo } });
    expect((await listed()).sort()).toEqual([...before].sort());
  });

  test("pictures are deleted only when asked, once the undo has expired (also if it expired while the app was stopped)", async () => {
    await q.stop();
    // No undo window: the removal expires at once.
    q = await startQueueApp(data.dir, standin(data.dir), undefined, { undoMs: 0 });
    const aPaths = picturePaths(ids.a!);
    const bPaths = picturePaths(ids.b!);
    const removed = (await json(await q.api("/api/tasks/remove", { method: "POST", json: { ids: [ids.a], delete_pictures: true } }))) as { undo: string };
    await q.api("/api/tasks/remove", { method: "POST", json: { ids: [ids.b] } });
    const late = await q.api("/api/tasks/undo", { method: "POST", json: { undo: removed.undo } });
    expect(late.status).toBe(410);
    expect(await errorCode(late)).toBe("undo_expired");
    // The sweep at start deletes A's pictures (asked), not B's (kept on disk).
    await q.stop();
    q = await startQueueApp(data.dir, standin(data.dir), undefined, { undoMs: 0 });
    for (const path of aPaths) expect(existsSync(path)).toBe(false);
    for (const path of bPaths) expect(existsSync(path)).toBe(true);
    expect(picturePaths(ids.a!)).toEqual([]);
    expect((await q.api(`/api/tasks/${ids.a}/pictures.zip`)).status).toBe(409);
  });

  test("recent sizes: each size once, the most recently used first", async () => {
    await q.api("/api/queue", { method: "PATCH", json: { paused: false } });
    const last = await submit({ seed: 40, width: 192, height: 128 });
    await waitState(q, last, ["succeeded"]);
    const { sizes } = (await json(await q.api("/api/queue/recent-sizes"))) as { sizes: { width: number; height: number }[] };
    expect(sizes).toEqual([
      { width: 192, height: 128 },
      { width: 64, height: 64 },
      { width: 128, height: 64 },
    ]);
  });

  test("a running task cannot be removed (stop it first); once stopped it can", async () => {
    const slow = await submit({ seed: 50, steps: 100, num_images: 4 });
    await waitState(q, slow, ["running"]);
    const refused = await q.api("/api/tasks/remove", { method: "POST", json: { ids: [slow] } });
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe("conflict");
    await q.api(`/api/tasks/${slow}/cancel`, { method: "POST" });
    await waitState(q, slow, ["cancelled"]);
    expect((await q.api("/api/tasks/remove", { method: "POST", json: { ids: [slow] } })).status).toBe(200);
  });
});
