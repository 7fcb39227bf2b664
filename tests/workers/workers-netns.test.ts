/**
 * Other computers as workers, over a real network: two Easy Diffusions (real
 * processes on the stand-in engine), each in a network namespace made here,
 * other devices allowed there, work for this one (the coordinator, in this
 * process, with an engine of its own). Added by login link or address + token;
 * tasks spread over all three; pictures come back with their metadata into the
 * coordinator's outputs and Gallery; a worker without a task's model file is
 * not sent that task; a wrong token is refused with the reason and skipped; a
 * worker switched off mid-task gives the task back and it finishes elsewhere.
 * Needs root and iproute2; skipped where a namespace cannot be made.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { hfStandin, type HfStandin } from "../models/hf-standin";
import { civitaiStandin } from "./civitai-standin";
import { need } from "../kit/needs";
import { tempData, until } from "../queue/harness";
import { OtherComputer, writeModel } from "./computers";
import { startCoordinator, type Coordinator } from "./coordinator";

const SD = { kind: "stable-diffusion", bytes: "checkpoint A" };
const UNIQUE = { kind: "stable-diffusion", bytes: "checkpoint U" };
/** Only this computer has it, and Civitai knows it. */
const CIVITAI = { kind: "stable-diffusion", name: "from-civitai.safetensors", bytes: "checkpoint C" };
/** On Hugging Face outside the starter catalogue: this computer downloads it from there, the workers have it not. */
const HF = { kind: "stable-diffusion", name: "from-hf.safetensors", bytes: "checkpoint H" };
const w1 = new OtherComputer();
const w2 = new OtherComputer();
const available = need("network namespaces (root and iproute2)", process.getuid?.() === 0 && w1.make() && w2.make(), "run as root with iproute2");
const data = tempData("ed-coordinator-");
let c: Coordinator;
let hf: HfStandin;
let civitai: ReturnType<typeof civitaiStandin>;

/** A starter catalogue listing the unique checkpoint on the Hugging Face stand-in (models/net/catalog.yaml's shape). */
const catalogFor = (bytes: Uint8Array) => `entries:
  - id: test-unique
    title: Unique test checkpoint
    family: sd1
    description: A test file.
    licence: test
    licenceUrl: "{hf}/test/models"
    memory: { vramGb: 1, ramGb: 1 }
    files:
      - kind: stable-diffusion
        name: unique-from-catalogue.safetensors
        size: ${bytes.length}
        sha256: ${new Bun.CryptoHasher("sha256").update(bytes).digest("hex")}
        sources: ["{hf}/test/models/resolve/main/unique.safetensors"]
    set: { model: unique-from-catalogue.safetensors }
`;

type View = { id: string; name: string; state: string; reason?: string; models?: number; task?: string };
const json = async <T>(r: Response | Promise<Response>) => (await (await r).json()) as T;
const workers = () => json<{ workers: View[] }>(c.api("/api/workers")).then((v) => v.workers);
const submit = async (fields: Record<string, unknown>) =>
  (await json<{ id: string }>(c.api("/api/tasks", { method: "POST", json: { model: "sd-test.safetensors", width: 64, height: 64, steps: 8, ...fields } }))).id;
type TaskView = { state: string; images: { id: string }[]; error?: unknown; notes?: { worker?: { id: string; name: string } } };
const task = (id: string) => json<TaskView>(c.api(`/api/tasks/${id}`));
const done = (id: string, ms = 60_000) => until(`task ${id} done`, async () => ((t) => t.state !== "queued" && t.state !== "running" && t)(await task(id)), ms);

/** Where each task's picture was made, once every task succeeded. */
async function succeededOn(ids: string[]): Promise<Set<string>> {
  const on = new Set<string>();
  for (const id of ids) {
    const t = await done(id, 90_000);
    expect(t.state).toBe("succeeded");
    on.add(await madeOn(t.images[0]!.id));
  }
  return on;
}

/** Picture files under a folder (none when it does not exist). */
const pictureFiles = (dir: string) =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.(png|jpe?g|webp)$/.test(e.name)) : [];

/** Which computer made picture `imageId`: its metadata's Worker (none: this one). */
async function madeOn(imageId: string): Promise<string> {
  const bytes = await (await c.api(`/api/images/${imageId}`)).arrayBuffer();
  const parsed = await json<{ parameters?: string }>(c.api("/api/metadata/parse", { method: "POST", body: bytes }));
  return /Worker: ([^,\n]+)/.exec(parsed.parameters ?? "")?.[1] ?? "here";
}

beforeAll(async () => {
  if (!available) return;
  // The unique checkpoint on a Hugging Face stand-in that w2 reaches (at this machine's end of its link), as a catalogue file.
  writeModel(data.dir, { ...UNIQUE, name: "unique.safetensors" });
  const unique = new Uint8Array(readFileSync(join(data.dir, "models", "stable-diffusion", "unique.safetensors")));
  writeModel(join(data.dir, "hf-files"), HF);
  const fromHf = new Uint8Array(readFileSync(join(data.dir, "hf-files", "models", "stable-diffusion", HF.name)));
  const files = { "unique.safetensors": unique, [HF.name]: fromHf };
  hf = hfStandin(files, { "test/models": "open", "someone/checkpoints": "open" }, { hostname: w2.ns.hostIp });
  writeModel(data.dir, CIVITAI);
  const fromCivitai = new Uint8Array(readFileSync(join(data.dir, "models", "stable-diffusion", CIVITAI.name)));
  civitai = civitaiStandin([{ id: 4242, name: "civitai-download.safetensors", bytes: fromCivitai }], w2.ns.hostIp);
  const hfConfig = `models:\n  huggingface_base: ${hf.base}\n  civitai_base: ${civitai.base}\n`;
  // w1 has the checkpoint under another name, and the unique one; w2 only the checkpoint, and lets other devices download.
  await Promise.all([
    w1.start([{ ...SD, name: "renamed.safetensors" }, { ...UNIQUE, name: "only-here-and-w1.safetensors" }], { stepMs: 40 }),
    w2.start([{ ...SD, name: "sd-test.safetensors" }], { stepMs: 40 }, `${hfConfig}  guest_downloads: true\n`),
  ]);
  const models = [{ ...SD, name: "sd-test.safetensors" }, { ...UNIQUE, name: "unique.safetensors" }];
  c = await startCoordinator(data.dir, models, { engine: { stepMs: 40 }, config: hfConfig, catalog: catalogFor(unique) });
}, 120_000);

afterAll(async () => {
  await c?.stop();
  hf?.stop();
  civitai?.stop();
  w1.remove();
  w2.remove();
  data.remove();
});

describe.skipIf(!available)("other computers as workers", () => {
  test("a wrong token: the worker is shown refused with its reason, and gets no task", async () => {
    const token = new URL(w2.link).searchParams.get("token")!;
    const wrong = token.replace(/^./, (ch) => (ch === "A" ? "B" : "A"));
    const added = await c.api("/api/workers", { method: "POST", json: { url: w2.origin, token: wrong, name: "w2" } });
    expect(added.status).toBe(201);
    const view = (await added.json()) as View;
    expect(view).toMatchObject({ name: "w2", state: "refused" });
    expect(view.reason).toContain("401");
    expect(view.reason).toContain("token");
    const id = await submit({ prompt: "while w2 refuses", seed: 1 });
    expect((await done(id)).state).toBe("succeeded");
    expect(await madeOn((await task(id)).images[0]!.id)).toBe("here");
    expect((await c.api(`/api/workers/${view.id}`, { method: "DELETE" })).status).toBe(200);
  }, 60_000);

  test("added by login link or address + token: its token is kept in an owner-only file and never answered", async () => {
    const a = await c.api("/api/workers", { method: "POST", json: { link: w1.link, name: "w1" } });
    expect(a.status).toBe(201);
    expect(await a.json()).toMatchObject({ name: "w1", url: w1.origin, state: "ready", models: 2 });
    const token2 = new URL(w2.link).searchParams.get("token")!;
    const b = await c.api("/api/workers", { method: "POST", json: { url: `${w2.origin}/`, token: token2, name: "w2" } });
    expect(await b.json()).toMatchObject({ name: "w2", state: "ready", models: 1 });
    const again = await c.api("/api/workers", { method: "POST", json: { link: w1.link } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as View).id).toBe(((await workers()).find((w) => w.name === "w1"))!.id);
    expect((await c.api("/api/workers", { method: "POST", json: { link: "ftp://x/login?token=abc" } })).status).toBe(400);
    const token1 = new URL(w1.link).searchParams.get("token")!;
    for (const path of ["/api/workers", "/api/config"]) {
      const text = await (await c.api(path)).text();
      expect(text).not.toContain(token1);
      expect(text).not.toContain(token2);
    }
    const file = c.app.ctx.paths.workers;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toContain(token1);
  }, 60_000);

  test("tasks spread over this computer and both workers; pictures and metadata come back into the Gallery", async () => {
    const ids = await Promise.all(Array.from({ length: 9 }, (_, i) => submit({ prompt: `spread ${i}`, seed: 100 + i, steps: 12 })));
    const where = new Map<string, number>();
    for (const id of ids) {
      const t = await done(id);
      expect(t.state).toBe("succeeded");
      const on = await madeOn(t.images[0]!.id);
      where.set(on, (where.get(on) ?? 0) + 1);
      // Its card says where it ran (task.notes.worker), and the board said so while it ran (workers.changed).
      expect(t.notes?.worker?.name ?? "here").toBe(on);
      const told = c.events.some((e) => e.type === "workers.changed" && (e.data as { workers: View[] }).workers.some((w) => w.name === on && w.task === id));
      expect(told).toBe(on !== "here");
    }
    expect([...where.keys()].sort()).toEqual(["here", "w1", "w2"]);
    // In the Gallery with its settings: the prompt, the seed, this computer's model name (w1 calls the file renamed.safetensors).
    const found = await until("the pictures in the Gallery", async () => {
      const g = await json<{ items: { id: number }[] }>(c.api("/api/gallery?q=spread&limit=50"));
      return g.items.length === 9 && g.items;
    });
    const details = await Promise.all(found.map((p) => json<{ prompt: string; seed: number; model: string }>(c.api(`/api/gallery/${p.id}`))));
    expect(details.map((d) => d.seed).sort()).toEqual(ids.map((_, i) => 100 + i));
    expect(new Set(details.map((d) => d.model))).toEqual(new Set(["sd-test"]));
    expect(details.every((d) => d.prompt.startsWith("spread "))).toBe(true);
    // The workers kept nothing on disk: their tasks were incognito there.
    for (const w of [w1, w2]) expect(pictureFiles(join(w.dir, "outputs"))).toEqual([]);
  }, 120_000);

  test("a task whose model file a worker lacks is never sent to it", async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, (_, i) => submit({ prompt: `unique ${i}`, model: "unique.safetensors", seed: 200 + i })));
    const on = await succeededOn(ids);
    expect(on.has("w2")).toBe(false);
    // w1 has the same bytes under another name.
    expect(on.has("w1")).toBe(true);
  }, 120_000);

  test("cancelling a task a worker runs stops it there too", async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, (_, i) => submit({ prompt: `cancel ${i}`, seed: 500 + i, steps: 60 })));
    const [onWorker, worker] = await until("a task sampling on a worker", async () => {
      for (const w of await workers()) {
        if (!w.task) continue;
        const t = await json<{ progress: { step: number } }>(c.api(`/api/tasks/${w.task}`));
        if (t.progress.step >= 1) return [w.task, w.name === "w1" ? w1 : w2] as const;
      }
      return false;
    }, 60_000);
    const cancelled = await json<{ state: string }>(c.api(`/api/tasks/${onWorker}/cancel`, { method: "POST" }));
    expect(cancelled.state).toBe("cancelled");
    const token = new URL(worker.link).searchParams.get("token")!;
    const there = () => json<{ tasks: { state: string; request: { prompt: string } }[] }>(fetch(`${worker.origin}/api/tasks`, { headers: { authorization: `Bearer ${token}` } }));
    await until("the task cancelled on the worker too", async () => (await there()).tasks.some((t) => t.request.prompt.startsWith("cancel ") && t.state === "cancelled"));
    for (const id of ids.filter((x) => x !== onWorker)) expect((await done(id)).state).toBe("succeeded");
  }, 120_000);

  test("a worker switched off mid-task gives the task back; it finishes elsewhere, nothing lost", async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => submit({ prompt: `kill ${i}`, seed: 300 + i, steps: 40 })));
    const onW1 = await until("a task sampling on w1", async () => {
      const w = (await workers()).find((x) => x.name === "w1");
      if (!w?.task) return false;
      const t = await json<{ progress: { step: number } }>(c.api(`/api/tasks/${w.task}`));
      return t.progress.step >= 1 && w.task;
    }, 60_000);
    w1.kill();
    const back = await until("w1 unreachable", async () => (await workers()).find((x) => x.name === "w1" && x.state === "unreachable"), 30_000);
    expect(back.reason).toContain(w1.origin);
    for (const id of ids) {
      const t = await done(id, 90_000);
      expect({ id, state: t.state }).toEqual({ id, state: "succeeded" });
      expect(t.images.length).toBe(1);
      const on = await madeOn(t.images[0]!.id);
      // The task w1 gave back says where it ran in the end.
      expect(t.notes?.worker?.name ?? "here").toBe(on);
      if (id === onW1) expect(on).not.toBe("w1");
    }
    expect(c.events.some((e) => e.type === "task.queued" && (e.data as { id: string }).id === onW1)).toBe(true);
  }, 180_000);

  test("'let workers download missing models': a worker without the file downloads it from its catalogue source, then runs the task", async () => {
    expect(await json(c.api("/api/workers", { method: "PATCH", json: { download_missing: true } }))).toMatchObject({ download_missing: true });
    const ids = await Promise.all(Array.from({ length: 3 }, (_, i) => submit({ prompt: `download ${i}`, model: "unique.safetensors", seed: 400 + i })));
    const on = await succeededOn(ids);
    expect(on.has("w2")).toBe(true);
    expect(hf.asked("test/models", "unique.safetensors").length).toBeGreaterThan(0);
    expect(existsSync(join(w2.dir, "models", "stable-diffusion", "unique-from-catalogue.safetensors"))).toBe(true);
  }, 120_000);

  test("… or from Civitai, when a lookup here found the file there", async () => {
    // As the app does in the background: the file hashed, then looked up on Civitai when the models are listed.
    await c.library.hashes.sha256(join(data.dir, "models", "stable-diffusion", CIVITAI.name));
    const found = until("the Civitai lookup", () => c.events.find((e) => e.type === "models.civitai"));
    await c.api("/api/models");
    await found;
    const ids = await Promise.all(Array.from({ length: 3 }, (_, i) => submit({ prompt: `civitai ${i}`, model: CIVITAI.name, seed: 600 + i })));
    const on = await succeededOn(ids);
    expect(on.has("w2")).toBe(true);
    expect(civitai.asked).toContain("/api/download/models/4242");
    expect(existsSync(join(w2.dir, "models", "stable-diffusion", CIVITAI.name))).toBe(true);
  }, 120_000);

  test("… or from Hugging Face outside the catalogue, when this computer downloaded the file from there", async () => {
    const url = `${hf.base}/someone/checkpoints/resolve/main/${HF.name}`;
    const started = await c.api("/api/models/download", { method: "POST", json: { url, kind: HF.kind, name: HF.name } });
    expect(started.status).toBe(202);
    const asset = (e: (typeof c.events)[number]) => e.data as { asset?: string; phase?: string };
    await until("downloaded here", () => c.events.find((e) => e.type === "download" && asset(e).asset === HF.name && asset(e).phase === "installed"));
    const ids = await Promise.all(Array.from({ length: 3 }, (_, i) => submit({ prompt: `hf ${i}`, model: HF.name, seed: 700 + i })));
    const on = await succeededOn(ids);
    expect(on.has("w2")).toBe(true);
    // Asked for it by this computer, then by w2.
    expect(hf.asked("someone/checkpoints", HF.name).filter((r) => r.method === "GET").length).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(w2.dir, "models", "stable-diffusion", HF.name))).toBe(true);
  }, 120_000);

  test("removing a worker", async () => {
    const w = (await workers()).find((x) => x.name === "w1")!;
    expect(await json<unknown>(c.api(`/api/workers/${w.id}`, { method: "DELETE" }))).toEqual({ removed: w.id });
    expect((await workers()).map((x) => x.name)).toEqual(["w2"]);
    expect((await c.api(`/api/workers/${w.id}`, { method: "DELETE" })).status).toBe(404);
  });
});
