/**
 * What this computer reads from a worker is bounded and its token stays with
 * it: a hostile "worker" (a local server) answering too much JSON, a picture
 * whose header says too many pixels, a picture route outside /api/images, a
 * redirect to elsewhere (not followed: the token would go along), an endless
 * event; refusals carry the worker's reason. Plus the pure parts: login links,
 * Server-Sent Events, sha256 matching, the request sent there, the store.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorkerClient } from "../../workers/client";
import { WorkerRefusedError, WorkerUnreachableError } from "../../workers/errors";
import { followTask, parseSse } from "../../workers/follow";
import { parseWorkerLink } from "../../workers/link";
import { matchModels, requestForWorker } from "../../workers/model-match";
import { WorkerStore } from "../../workers/store";

const TOKEN = "A".repeat(43);
const seen: { path: string; auth: string | null }[] = [];
/** A PNG signature and IHDR saying 100000×100000. */
const hugePng = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 1, 134, 160, 0, 1, 134, 160, 8, 6, 0, 0, 0, 0, 0, 0, 0]);
const elsewhere = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => (seen.push({ path: "elsewhere", auth: req.headers.get("authorization") }), new Response("{}")) });
const hostile = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch(req) {
    const path = new URL(req.url).pathname;
    seen.push({ path, auth: req.headers.get("authorization") });
    if (path === "/api/models") return new Response(new Uint8Array(17 * 1024 * 1024).fill(32), { headers: { "content-type": "application/json" } });
    if (path === "/api/images/huge") return new Response(hugePng, { headers: { "content-type": "image/png" } });
    if (path === "/api/session") return Response.redirect(`http://127.0.0.1:${elsewhere.port}/x`, 302);
    if (path === "/api/tasks") return Response.json({ error: { code: "model_not_found", message: "no model there" } }, { status: 400 });
    if (path === "/api/tasks/t1") return Response.json({ id: "t1", state: "running", progress: { step: 1, steps: 2, rate: null, eta: null }, images: [] });
    if (path === "/api/events")
      return new Response(new ReadableStream({ pull: (ctl) => ctl.enqueue(new TextEncoder().encode("event: task.progress\ndata: " + "x".repeat(64 * 1024))) }), {
        headers: { "content-type": "text/event-stream" },
      });
    return new Response("no", { status: 401 });
  },
});
const client = new WorkerClient(`http://127.0.0.1:${hostile.port}`, TOKEN);
const dir = mkdtempSync(join(tmpdir(), "ed-workers-unit-"));

afterAll(() => {
  hostile.stop(true);
  elsewhere.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

describe("the client against a hostile worker", () => {
  test("JSON over 16 MB is cut off", async () => {
    await expect(client.models()).rejects.toThrow(/over 16 MB/);
  });
  test("a picture whose header says more than 8192×8192 is refused before decoding; only /api/images/ paths are fetched", async () => {
    await expect(client.picture("/api/images/huge")).rejects.toThrow(/100000×100000/);
    await expect(client.picture("/etc/passwd")).rejects.toBeInstanceOf(WorkerUnreachableError);
    await expect(client.picture(`http://127.0.0.1:${elsewhere.port}/api/images/x`)).rejects.toBeInstanceOf(WorkerUnreachableError);
  });
  test("a redirect is not followed: the token never reaches another origin", async () => {
    await expect(client.session()).rejects.toBeInstanceOf(WorkerUnreachableError);
    expect(seen.some((s) => s.path === "elsewhere")).toBe(false);
    expect(seen.filter((s) => s.path !== "elsewhere").every((s) => s.auth === `Bearer ${TOKEN}`)).toBe(true);
  });
  test("refusals carry the worker's status and reason", async () => {
    const err = (await client.submit({ prompt: "x" }).catch((e) => e)) as WorkerRefusedError;
    expect(err).toBeInstanceOf(WorkerRefusedError);
    expect(err.httpStatus).toBe(400);
    expect(err.message).toContain("no model there");
    const denied = (await client.task("nope").catch((e) => e)) as WorkerRefusedError;
    expect(denied.httpStatus).toBe(401);
    expect(denied.message).toContain("token");
  });
  test("an event that never ends is cut off at 1 MB", async () => {
    const ac = new AbortController();
    await expect(followTask(client, "t1", { signal: ac.signal, onProgress: () => {}, checkMs: 60_000 })).rejects.toThrow(/event stream broke|over 1048576/);
  });
});

describe("pure parts", () => {
  test("login links and address + token", () => {
    expect(parseWorkerLink({ link: `http://192.168.1.20:9000/login?token=${TOKEN}` })).toEqual({ url: "http://192.168.1.20:9000", token: TOKEN });
    expect(parseWorkerLink({ url: " http://[fe80::1]:9000/ ", token: TOKEN })).toEqual({ url: "http://[fe80::1]:9000", token: TOKEN });
    for (const bad of [{ link: "file:///etc/passwd?token=" + TOKEN }, { link: "http://x:1/login" }, { link: "http://x:1/login?token=a b" }, {}, { link: `http://u:p@x/?token=${TOKEN}` }])
      expect(() => parseWorkerLink(bad)).toThrow();
  });
  test("Server-Sent Events: whole events out, the unfinished rest kept", () => {
    const { events, rest } = parseSse(': connected\n\nid: 4\nevent: task.progress\ndata: {"id":"t"}\n\nevent: ping\ndata: {}\n\nevent: task.fin');
    expect(events).toEqual([
      { event: "task.progress", data: '{"id":"t"}', id: "4" },
      { event: "ping", data: "{}" },
    ]);
    expect(rest).toBe("event: task.fin");
  });
  test("files matched by kind and sha256, whatever their names; the request sent with the worker's names, as PNG", () => {
    const need = (field: string, kind: string, name: string, sha256: string) => ({ field, kind, name, path: `/x/${name}`, sha256 });
    const m = matchModels(
      [need("model", "stable-diffusion", "a.safetensors", "AA"), need("loras.0", "lora", "l.safetensors", "bb"), need("vae", "vae", "v.safetensors", "cc")],
      [
        { kind: "stable-diffusion", name: "other-name.safetensors", sha256: "aa", usable: true },
        { kind: "vae", name: "bb-as-vae.safetensors", sha256: "bb", usable: true },
        { kind: "vae", name: "v.safetensors", sha256: "cc", usable: false },
      ],
    );
    expect(m.names).toEqual({ model: "other-name.safetensors" });
    expect(m.missing.map((f) => f.field)).toEqual(["loras.0", "vae"]);
    const r = { prompt: "p", model: "a.safetensors", loras: [{ name: "l.safetensors", weight: 1 }], text_encoders: [], output_format: "webp", output_quality: 80, worker: "x" };
    const sent = requestForWorker(r as never, { model: "other-name.safetensors", "loras.0": "L2.safetensors" });
    expect(sent).toMatchObject({ model: "other-name.safetensors", loras: [{ name: "L2.safetensors", weight: 1 }], output_format: "png" });
    expect(sent).not.toHaveProperty("output_quality");
    expect(sent).not.toHaveProperty("worker");
  });
  test("the store: the token in an owner-only file, never in a listing; an unreadable file kept aside", async () => {
    const file = join(dir, "workers.json");
    const store = new WorkerStore(file);
    const w = store.add({ url: "http://10.0.0.2:9000", token: TOKEN });
    expect(w.name).toBe("10.0.0.2:9000");
    expect(JSON.stringify(store.list())).not.toContain(TOKEN);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new WorkerStore(file).tokenOf(w.id)).toBe(TOKEN);
    // The same address again: the new token replaces the old (it was made anew there).
    expect(store.add({ url: "http://10.0.0.2:9000", token: "B".repeat(43) })).toMatchObject({ id: w.id, replaced: true });
    expect(store.tokenOf(w.id)).toBe("B".repeat(43));
    expect(store.list().length).toBe(1);
    await Bun.write(file, "{not json");
    expect(new WorkerStore(file).list()).toEqual([]);
    expect(readFileSync(`${file}.unreadable`, "utf8")).toBe("{not json");
  });
});
