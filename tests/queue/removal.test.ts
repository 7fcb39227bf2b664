/**
 * Queue habits over a real socket with the stand-in engine: remove and undo
 * (a waiting task back to its place, across a launcher restart), "Clear
 * finished", pictures deleted only when asked and only after the undo
 * expired, the pictures of a task as a zip whose files keep their metadata,
 * and the recent sizes.
 */
import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readImageMetadata } from "../../pictures/metadata/read";
import { png } from "./images";
import { standin, startQueueApp, taskState, tempData, waitState, type QueueApp } from "./harness";
import { unzip } from "../unzip";

setDefaultTimeout(90_000);

const request = { prompt: "a red fox in snow", model: "sd-test.safetensors", steps: 2, width: 64, height: 64 };


type Json = Record<string, unknown>;
const json = async (res: Response) => (await res.json()) as Json;
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe("remove, undo, zip, recent sizes", () => {
  // Each test has its own data folder and app, so each passes alone (bun test -t) and in any order.
  let data: ReturnType<typeof tempData>;
  let q: QueueApp;
  beforeEach(async () => {
    data = tempData("ed-queue-removal-");
    q = await startQueueApp(data.dir, standin(data.dir));
  });
  afterEach(async () => {
    await q?.stop();
    data.remove();
  });
  const restart = async (queueOptions: { undoMs?: number } = {}) => {
    await q.stop();
    q = await startQueueApp(data.dir, standin(data.dir), undefined, queueOptions);
  };
  const submit = async (body: Json) => ((await json(await q.api("/api/tasks", { method: "POST", json: { ...request, ...body } }))).id as string);
  const listed = async () => ((await json(await q.api("/api/tasks"))).tasks as { id: string }[]).map((t) => t.id);
  const picturePaths = (taskId: string) => {
    const db = new Database(join(data.dir, "easy-diffusion.db"), { readonly: true });
    const rows = db.query<{ path: string }, [string]>("SELECT path FROM images WHERE task_id = ? ORDER BY created, rowid").all(taskId);
    db.close();
    return rows.map((r) => r.path);
  };
  /** Two finished tasks: A, three 64×64 pictures from seed 10; B, one 128×64 picture. */
  const finishedAB = async () => {
    const a = await submit({ seed: 10, num_images: 3 });
    const b = await submit({ seed: 20, width: 128, height: 64 });
    for (const id of [a, b]) expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");
    return { a, b };
  };
  /** The queue paused with three waiting tasks C, D, E. */
  const waitingCDE = async () => {
    await q.api("/api/queue", { method: "PATCH", json: { paused: true } });
    return { c: await submit({ seed: 30 }), d: await submit({ seed: 30 }), e: await submit({ seed: 30 }) };
  };

  test("a task's pictures as one zip: named by place and seed, each file as saved with its metadata", async () => {
    const { a } = await finishedAB();
    const res = await q.api(`/api/tasks/${a}/pictures.zip`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain(`pictures-${a}.zip`);
    const entries = await unzip(new Uint8Array(await res.arrayBuffer()));
    expect([...entries.keys()]).toEqual(["1-seed10.png", "2-seed11.png", "3-seed12.png"]);
    const task = await taskState(q, a);
    expect(task.images).toHaveLength(3);
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
    const { a } = await finishedAB();
    const outside = join(data.dir, "secret.png");
    writeFileSync(outside, png());
    const db = new Database(join(data.dir, "easy-diffusion.db"));
    db.query("INSERT INTO tasks (id, state, position, request, created) SELECT 'tevil', 'succeeded', 0, request, 1 FROM tasks WHERE id = ?").run(a);
    db.query("INSERT INTO images (id, task_id, path, seed, width, height, format, created) VALUES ('ievil', 'tevil', ?, 1, 8, 8, 'png', 1)").run(outside);
    db.close();
    const evil = await q.api("/api/tasks/tevil/pictures.zip");
    expect(evil.status).toBe(409);
    expect(await errorCode(evil)).toBe("no_pictures");
  });

  test("remove a waiting task and finished ones; undo works after a restart and puts the waiting one back in its place", async () => {
    const { a, b } = await finishedAB();
    const { c, d: dId, e } = await waitingCDE();
    const removeD = await q.api("/api/tasks/remove", { method: "POST", json: { ids: [dId] } });
    expect(removeD.status).toBe(200);
    const d = (await removeD.json()) as { undo: string; removed: string[]; until: number };
    expect(d.removed).toEqual([dId]);
    expect(await listed()).not.toContain(dId);
    expect(await taskState(q, dId)).toMatchObject({ state: "cancelled", removed: { undo: d.undo } });
    expect(await json(await q.api("/api/queue"))).toMatchObject({ total: 2 });

    const removeA = (await json(await q.api("/api/tasks/remove", { method: "POST", json: { ids: [a] } }))) as { undo: string };
    const removeB = (await json(await q.api("/api/tasks/remove", { method: "POST", json: { ids: [b], delete_pictures: true } }))) as { undo: string };
    expect(await listed()).not.toContain(a);
    expect(await listed()).not.toContain(b);
    expect(q.events.filter((e) => e.type === "task.removed").map((e) => (e.data as { ids: string[] }).ids)).toEqual([[dId], [a], [b]]);

    // Nothing lost: the removals are on disk, the launcher restarts, undo still works.
    await restart();
    expect(await listed()).not.toContain(dId);
    expect(await json(await q.api("/api/queue"))).toMatchObject({ total: 2, paused: true });
    const undoD = await q.api("/api/tasks/undo", { method: "POST", json: { undo: d.undo } });
    expect(await json(undoD)).toEqual({ restored: [dId] });
    expect((await taskState(q, dId)).state).toBe("queued");
    const order = (await json(await q.api("/api/queue", { method: "PATCH", json: {} }))).order;
    expect(order).toEqual([c, dId, e]);
    // The same token twice: nothing left to undo.
    expect((await q.api("/api/tasks/undo", { method: "POST", json: { undo: d.undo } })).status).toBe(404);

    expect(await json(await q.api("/api/tasks/undo", { method: "POST", json: { undo: removeA.undo } }))).toEqual({ restored: [a] });
    expect(await json(await q.api("/api/tasks/undo", { method: "POST", json: { undo: removeB.undo } }))).toEqual({ restored: [b] });
    expect(await listed()).toEqual(expect.arrayContaining([a, b]));
    expect((await taskState(q, a)).images).toHaveLength(3);
    const paths = [...picturePaths(a), ...picturePaths(b)];
    expect(paths).toHaveLength(4);
    for (const path of paths) expect(existsSync(path)).toBe(true);
  });

  test("bad removals are refused with a reason", async () => {
    expect(await errorCode(await q.api("/api/tasks/remove", { method: "POST", json: { ids: ["nope"] } }))).toBe("not_found");
    expect(await errorCode(await q.api("/api/tasks/remove", { method: "POST", json: {} }))).toBe("bad_request");
    expect((await q.api("/api/tasks/remove", { method: "POST", json: { ids: "x" } })).status).toBe(400);
    expect((await q.api("/api/tasks/undo", { method: "POST", json: { undo: "unknown" } })).status).toBe(404);
    expect((await q.api("/api/tasks/undo", { method: "POST", json: {} })).status).toBe(400);
  });

  test("Clear finished hides every finished task and keeps waiting ones; undo brings them all back", async () => {
    const { a, b } = await finishedAB();
    const { c, d, e } = await waitingCDE();
    const before = await listed();
    expect(before).toHaveLength(5);
    const cleared = (await json(await q.api("/api/tasks/remove", { method: "POST", json: { finished: true } }))) as { undo: string; removed: string[] };
    expect(cleared.removed.sort()).toEqual([a, b].sort());
    expect(await listed()).toEqual([c, d, e]);
    await q.api("/api/tasks/undo", { method: "POST", json: { undo: cleared.undo } });
    expect((await listed()).sort()).toEqual([...before].sort());
  });

  test("pictures are deleted only when asked, once the undo has expired (also if it expired while the app was stopped)", async () => {
    const { a, b } = await finishedAB();
    // No undo window: the removal expires at once.
    await restart({ undoMs: 0 });
    const aPaths = picturePaths(a);
    const bPaths = picturePaths(b);
    expect([aPaths.length, bPaths.length]).toEqual([3, 1]);
    const removed = (await json(await q.api("/api/tasks/remove", { method: "POST", json: { ids: [a], delete_pictures: true } }))) as { undo: string };
    await q.api("/api/tasks/remove", { method: "POST", json: { ids: [b] } });
    const late = await q.api("/api/tasks/undo", { method: "POST", json: { undo: removed.undo } });
    expect(late.status).toBe(410);
    expect(await errorCode(late)).toBe("undo_expired");
    // The sweep at start deletes A's pictures (asked), not B's (kept on disk).
    await restart({ undoMs: 0 });
    for (const path of aPaths) expect(existsSync(path)).toBe(false);
    for (const path of bPaths) expect(existsSync(path)).toBe(true);
    expect(picturePaths(a)).toEqual([]);
    expect((await q.api(`/api/tasks/${a}/pictures.zip`)).status).toBe(409);
  });

  test("recent sizes: each size once, the most recently used first", async () => {
    await finishedAB();
    // 64×64 again after B's 128×64: listed once, at its latest use.
    for (const id of [await submit({ seed: 30 }), await submit({ seed: 40, width: 192, height: 128 })]) await waitState(q, id, ["succeeded"]);
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
