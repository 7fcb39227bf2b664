import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageRequestSchema, resolveRequest } from "../../queue/request";
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

  test("model hash cache is keyed by path, size and mtime", () => {
    const s = new TaskStore(join(dir, "b.db"));
    s.saveHash("/m", 10, 5, "abc");
    expect(s.cachedHash("/m", 10, 5)).toBe("abc");
    expect(s.cachedHash("/m", 10, 6)).toBeNull();
    s.close();
  });
});
