import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageRequestSchema, resolveRequest } from "../../common/image-request";
import { ModelStore } from "../../models/store";
import { modelUseOf } from "../../queue/model-use";
import { TaskStore } from "../../queue/store";
import { newId, type Task } from "../../queue/task";

const dir = mkdtempSync(join(tmpdir(), "ed-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const request = resolveRequest(imageRequestSchema.parse({ prompt: "a cat", model: "m.safetensors", seed: 1 }), { format: "png", quality: 90 });
const task = (position: number, state: Task["state"] = "queued"): Task => ({ id: newId("t"), state, position, request, created: Date.now() + position, incognito: false });

describe("task store", () => {
  test("tasks survive closing and reopening the database; a running one becomes failed: interrupted", () => {
    const file = join(dir, "a.db");
    const s1 = new TaskStore(file);
    const [a, b, c] = [task(2), task(1), task(3, "running")];
    for (const t of [a, b, c]) s1.insert(t);
    s1.update(c);
    s1.setSetting("paused", "true");
    s1.insertImage({ id: "i1", taskId: a.id, path: "/x.png", seed: 1, width: 8, height: 8, format: "png", created: 1 });
    s1.close();

    const s2 = new TaskStore(file);
    expect(s2.queued().map((t) => t.id)).toEqual([b.id, a.id]);
    expect(s2.queued()[0]!.request).toEqual(request);
    expect(s2.failInterrupted()).toEqual([c.id]);
    expect(s2.get(c.id)).toMatchObject({ state: "failed", error: { code: "interrupted" } });
    expect(s2.failInterrupted()).toEqual([]);
    expect(s2.setting("paused")).toBe("true");
    expect(s2.imagesOf(a.id)).toEqual([{ id: "i1", taskId: a.id, path: "/x.png", seed: 1, width: 8, height: 8, format: "png", created: 1 }]);
    s2.setPositions([{ id: a.id, position: 0 }]);
    expect(s2.queued().map((t) => t.id)).toEqual([a.id, b.id]);
    expect(s2.db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    s2.close();
  });

  test("a database from before removals gets the removal columns; its tasks read as not removed; a removal round-trips", () => {
    const file = join(dir, "old.db");
    const old = new Database(file, { create: true });
    old.exec(`CREATE TABLE tasks (id TEXT PRIMARY KEY, state TEXT NOT NULL, position INTEGER NOT NULL, request TEXT NOT NULL,
      created INTEGER NOT NULL, started INTEGER, finished INTEGER, error TEXT, retry_of TEXT)`);
    old.query("INSERT INTO tasks (id, state, position, request, created) VALUES ('t_old', 'succeeded', 1, ?, 5)").run(JSON.stringify(request));
    old.close();
    const s = new TaskStore(file);
    const t = s.get("t_old")!;
    expect(t.removed).toBeUndefined();
    expect(s.list().map((x) => x.id)).toEqual(["t_old"]);
    s.setRemoval(t, { undo: "u1", until: 99, from: "succeeded", deletePictures: true });
    expect(s.list()).toEqual([]);
    expect(s.removedWith("u1").map((x) => x.removed)).toEqual([{ undo: "u1", until: 99, from: "succeeded", deletePictures: true }]);
    expect(s.picturesToDelete(98)).toEqual([]);
    expect(s.picturesToDelete(99).map((x) => x.id)).toEqual(["t_old"]);
    s.forgetPictures("t_old");
    expect(s.picturesToDelete(1000)).toEqual([]);
    s.setRemoval(t, null);
    expect(s.list().map((x) => x.id)).toEqual(["t_old"]);
    s.close();
  });

  test("what models/ asks of the queue: the newest task's models and how many are still to run, from the queue's tables", () => {
    const s = new TaskStore(join(dir, "use.db"));
    const use = modelUseOf(s);
    expect(use.lastModels()).toBeNull();
    expect(use.unfinished()).toBe(0);
    const flux = { ...request, model: "flux1-dev.safetensors", vae: "ae.safetensors", text_encoders: ["clip_l.safetensors", "t5xxl.safetensors"] };
    s.insert({ ...task(1, "succeeded"), request: flux, created: 2000 });
    s.insert({ ...task(2, "queued"), created: 1000 });
    s.insert({ ...task(3, "cancelled"), created: 500 });
    expect(use.lastModels()).toEqual({ model: "flux1-dev.safetensors", vae: "ae.safetensors", text_encoders: ["clip_l.safetensors", "t5xxl.safetensors"] });
    expect(use.unfinished()).toBe(1);
    s.close();
  });

  test("one owner per table: the task store makes no model_hashes table; the models store does, keyed by path, size and mtime", () => {
    const file = join(dir, "b.db");
    const tasks = new TaskStore(file);
    const tables = () => tasks.db.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name);
    expect(tables()).not.toContain("model_hashes");
    const models = new ModelStore(file);
    expect(tables()).toContain("model_hashes");
    models.saveHash("/m", 10, 5, "abc");
    expect(models.cachedHash("/m", 10, 5)).toBe("abc");
    expect(models.cachedHash("/m", 10, 6)).toBeNull();
    expect(models.db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    models.close();
    tasks.close();
  });
});

describe("model hashes", () => {
  test("A1111 short hash = first 10 hex of sha256, cached by path + size + mtime", async () => {
    const { ModelHashes } = await import("../../models/hashes");
    const { writeFileSync, utimesSync, statSync } = await import("node:fs");
    const file = join(dir, "model.safetensors");
    writeFileSync(file, "weights-1");
    const s = new ModelStore(join(dir, "c.db"));
    const hashes = new ModelHashes(s);
    const expected = new Bun.CryptoHasher("sha256").update("weights-1").digest("hex").slice(0, 10);
    expect(await hashes.short(file)).toBe(expected);
    // Same size and mtime: the cached hash is used (the file is not read again).
    const { mtime } = statSync(file);
    writeFileSync(file, "weights-2");
    utimesSync(file, mtime, mtime);
    expect(await hashes.short(file)).toBe(expected);
    // A changed mtime: hashed again.
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await hashes.short(file)).toBe(new Bun.CryptoHasher("sha256").update("weights-2").digest("hex").slice(0, 10));
    expect(await hashes.short(join(dir, "missing"))).toBeNull();
    s.close();
  });
});
