/**
 * The Windows executable under Wine (issue 21): its command line, a first
 * start in the default folders, and, in a data folder whose path has spaces
 * and non-ASCII letters, an engine imported from a zip and from a folder of
 * the stand-in compiled for Windows, a task end to end, cancel, a second
 * --server refused and the launcher killed. One app start serves the task
 * scenarios (Wine makes each start cost seconds).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import decodeWebp from "@jsquash/webp/decode.js";
import { ZipFile } from "yazl";
import type { Running } from "../exe/exe";
import { freePort, startExe } from "../exe/exe";
import { waitFor } from "../standin/fixtures";
import { writeEsrgan } from "../upscale/fixtures";
import { needWine, releaseWineKit, standinCopy, wineKit, type WineKit } from "./wine";

const hasWine = needWine();
const FAST = { startDelayMs: 100, stepMs: 30, loadMs: 5, decodeMs: 10 };
/** The engine's release API answers 404 at once (a dead port makes Windows retry the connection for seconds). */
const releases = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => Response.json({ message: "Not Found" }, { status: 404 }) });
const DEAD_API = `engine:\n  api_base: http://127.0.0.1:${releases.port}/\n`;

let kit: WineKit;
let t0 = 0;

beforeAll(async () => {
  if (!hasWine) return;
  t0 = performance.now();
  kit = await wineKit();
  console.log(`wine: kit ready in ${Math.round(performance.now() - t0)} ms`);
}, 300_000);

afterAll(async () => {
  releases.stop(true);
  if (hasWine) await releaseWineKit();
  if (hasWine) console.log(`wine: server.test.ts took ${Math.round(performance.now() - t0)} ms`);
});

async function zipFolder(dir: string, zipPath: string, top: string): Promise<void> {
  const zip = new ZipFile();
  for (const name of readdirSync(dir)) zip.addFile(join(dir, name), `${top}/${name}`);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  await Bun.write(zipPath, Buffer.concat(chunks));
}

/** A data folder under C:\Users\Zoë Müller\ with a model and the engine pointed at a dead address. */
function dataFolder(name: string): string {
  const dir = join(kit.driveC, "Users", "Zoë Müller", name);
  mkdirSync(join(dir, "models", "stable-diffusion"), { recursive: true });
  writeFileSync(join(dir, "config.yaml"), DEAD_API);
  writeFileSync(join(dir, "models", "stable-diffusion", "sd-test.safetensors"), "stand-in model");
  return dir;
}

async function serverUrl(app: Running): Promise<string> {
  return (await app.waitForOutput(/running at (http:\/\/\S+)/, 60_000))[1]!;
}

describe.skipIf(!hasWine)("the Windows executable under Wine", () => {
  test("--version, --help and exit codes", async () => {
    const v = await kit.run(["--version"]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^easy-diffusion \d+\.\d+\.\d+/);
    const h = await kit.run(["--help"]);
    expect(h.code).toBe(0);
    expect(h.out).toContain("--data-dir");
    const bad = await kit.run(["--frobnicate"]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain("--frobnicate");
  }, 120_000);

  test("first start in the default folders: data in %LOCALAPPDATA%, config in %APPDATA%; a killed one's lock is taken over", async () => {
    const users = readdirSync(join(kit.driveC, "users")).filter((n) => n.toLowerCase() !== "public");
    expect(users.length).toBe(1);
    const profile = join(kit.driveC, "users", users[0]!);
    const data = join(profile, "AppData", "Local", "Easy Diffusion");
    const configDir = join(profile, "AppData", "Roaming", "Easy Diffusion");
    expect(existsSync(data)).toBe(false);
    // Only the engine's address is set beforehand: a test never reaches GitHub.
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, "config.yaml"), DEAD_API);
    const first = kit.start(["--server", "--port", String(await freePort())]);
    const url = await serverUrl(first);
    expect((await fetch(new URL("api/health", url))).status).toBe(200);
    expect(existsSync(join(data, "instance.lock"))).toBe(true);
    expect(existsSync(join(data, "logs", "easy-diffusion.log"))).toBe(true);
    expect(existsSync(join(configDir, "config.yaml"))).toBe(true);
    // Killed (a crash, or Task Manager): its lock stays behind, and the next start sees its pid is gone.
    first.kill("SIGKILL");
    await first.proc.exited;
    expect(existsSync(join(data, "instance.lock"))).toBe(true);
    const second = kit.start(["--server", "--port", String(await freePort())]);
    try {
      expect((await fetch(new URL("api/health", await serverUrl(second)))).status).toBe(200);
    } finally {
      second.kill("SIGKILL");
      await second.proc.exited;
    }
  }, 120_000);

  test("engine import from a folder of the Windows stand-in", async () => {
    const data = dataFolder("from a folder");
    const build = standinCopy(kit, join(kit.driveC, "sd builds", "cpu folder"), FAST);
    const r = await kit.run(["engine", "import", kit.win(build), "--data-dir", kit.win(data)]);
    expect(r.out).toContain("as a cpu build");
    expect(r.code).toBe(0);
    const engines = readdirSync(join(data, "engines"));
    expect(engines).toEqual(["imported-cpu-folder"]);
    expect(readdirSync(join(data, "engines", "imported-cpu-folder", "cpu"))).toContain("sd-server.exe");
  }, 120_000);

  describe("in C:\\Users\\Zoë Müller\\ED data, the engine imported from a zip", () => {
    let data: string;
    let app: Running;
    let url: string;
    let pictureId = "";
    const api = (path: string, init?: RequestInit) => fetch(new URL(path, url), init);
    const post = (path: string, body: unknown) => api(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    beforeAll(async () => {
      if (!hasWine) return;
      data = dataFolder("ED data");
      writeEsrgan(join(data, "models", "realesrgan", "x2.safetensors"), 2);
      const pack = standinCopy(kit, join(kit.prefix, "standin-pack"), FAST);
      const zip = join(kit.prefix, "sd-master-win-avx2-x64.zip");
      await zipFolder(pack, zip, "sd-master-win-avx2-x64");
      const r = await kit.run(["engine", "import", kit.win(zip), "--data-dir", kit.win(data)]);
      expect(r.out).toContain("as a cpu build");
      expect(r.code).toBe(0);
      app = kit.start(["--server", "--port", String(await freePort()), "--data-dir", kit.win(data)]);
      url = await serverUrl(app);
    }, 180_000);

    afterAll(async () => {
      // Under Wine a piped process has no console, so Ctrl+C never reaches it: it is killed instead.
      if (app && app.proc.exitCode === null) app.kill("SIGKILL");
    });

    test("a task end to end: progress events, picture, metadata read back, the Gallery lists it and serves its thumbnail", async () => {
      const events: string[] = [];
      const stopEvents = new AbortController();
      const reading = (async () => {
        const res = await api("/api/events", { signal: stopEvents.signal });
        const decoder = new TextDecoder();
        try {
          for await (const chunk of res.body as ReadableStream<Uint8Array>) events.push(...[...decoder.decode(chunk, { stream: true }).matchAll(/^event: (.+)$/gm)].map((m) => m[1]!));
        } catch {}
      })();
      const request = { prompt: "a lighthouse, café 猫", model: "sd-test.safetensors", seed: 42, steps: 4, width: 128, height: 64 };
      const posted = await post("/api/tasks", request);
      expect(posted.status).toBe(202);
      const { id } = (await posted.json()) as { id: string };
      const done = await waitFor(
        `task ${id} done`,
        async () => {
          const t = (await (await api(`/api/tasks/${id}`)).json()) as { state: string; error?: unknown; images: { id: string; url: string }[] };
          return ["succeeded", "failed"].includes(t.state) && t;
        },
        120_000,
        100,
      );
      stopEvents.abort();
      await reading;
      expect(done.error).toBeUndefined();
      expect(done.state).toBe("succeeded");
      expect(events).toContain("task.progress");
      expect(events).toContain("task.finished");

      pictureId = done.images[0]!.id;
      const img = await api(done.images[0]!.url);
      expect(img.status).toBe(200);
      const bytes = new Uint8Array(await img.arrayBuffer());
      expect(Buffer.from(bytes.subarray(1, 4)).toString("latin1")).toBe("PNG");
      const parsed = await (await api("/api/metadata/parse", { method: "POST", headers: { "content-type": "image/png" }, body: bytes })).json();
      expect(parsed).toMatchObject({ format: "png", settings: { prompt: "a lighthouse, café 猫", seed: 42, width: 128, height: 64 } });
      const outputs = readdirSync(join(data, "outputs"), { recursive: true }).map(String);
      expect(outputs.some((f) => f.endsWith(".png"))).toBe(true);

      const item = await waitFor(
        "the picture in the Gallery",
        async () => ((await (await api("/api/gallery")).json()) as { items: { id: number; prompt: string }[] }).items.find((i) => i.prompt === request.prompt),
        30_000,
        100,
      );
      const thumb = await api(`/api/gallery/${item.id}/thumb`);
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get("content-type")).toBe("image/webp");
      const decoded = await decodeWebp((await thumb.arrayBuffer()) as ArrayBuffer);
      expect([decoded.width, decoded.height]).toEqual([128, 64]); // thumbnails never enlarge
    }, 180_000);

    test("upscale runs the Windows sd-cli.exe beside sd-server.exe", async () => {
      expect(pictureId).not.toBe("");
      const posted = await post("/api/upscale", { image_id: pictureId, factor: 2, model: "x2.safetensors" });
      expect(posted.status).toBe(202);
      const { id } = (await posted.json()) as { id: string };
      const t = await waitFor(
        `upscale ${id}`,
        async () => {
          const task = (await (await api(`/api/tasks/${id}`)).json()) as { state: string; error?: unknown; images: { url: string }[] };
          return ["succeeded", "failed", "cancelled"].includes(task.state) && task;
        },
        90_000,
        100,
      );
      expect(t.error).toBeUndefined();
      expect(t.state).toBe("succeeded");
      const bytes = Buffer.from(await (await api(t.images[0]!.url)).arrayBuffer());
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([256, 128]); // PNG IHDR width, height
      const engineDir = join(data, "engines", "imported-sd-master-win-avx2-x64", "cpu");
      const runs = readFileSync(join(engineDir, "sd-master-win-avx2-x64", "cli-argv.jsonl"), "utf8").trim().split("\n");
      expect(JSON.parse(runs.at(-1)!)).toContain("upscale");
    }, 120_000);

    test("a model file held open by another program: deleting it is refused with a clear error, nothing lost", async () => {
      const file = join(data, "models", "stable-diffusion", "held.safetensors");
      writeFileSync(file, "stand-in model");
      const holder = startExe("wine", [kit.holdFile, kit.win(file)], { env: kit.env });
      try {
        await holder.waitForOutput(/held/, 30_000);
        const refused = await api("/api/models/stable-diffusion/held.safetensors", { method: "DELETE" });
        const body = (await refused.json()) as { error: { code: string; message: string } };
        expect(refused.status).toBe(409);
        expect(body.error.code).toBe("model_in_use");
        expect(body.error.message).toContain("held.safetensors");
        expect(existsSync(file)).toBe(true);
      } finally {
        holder.kill("SIGKILL");
        await holder.proc.exited;
      }
      const deleted = await api("/api/models/stable-diffusion/held.safetensors", { method: "DELETE" });
      expect(deleted.status).toBe(200);
      expect(existsSync(file)).toBe(false);
    }, 120_000);

    test("cancel while generating ends that sd-server.exe: no orphan engine", async () => {
      const posted = await post("/api/tasks", { prompt: "a long one", model: "sd-test.safetensors", seed: 7, steps: 100, width: 64, height: 64 });
      const { id } = (await posted.json()) as { id: string };
      await waitFor("generating", async () => ((await (await api(`/api/tasks/${id}`)).json()) as { state: string }).state === "running", 60_000, 50);
      const before = kit.processes("sd-server.exe").map((p) => p.pid);
      expect(before.length).toBe(1);
      expect((await api(`/api/tasks/${id}/cancel`, { method: "POST" })).status).toBeLessThan(300);
      const t = await waitFor(
        "cancelled",
        async () => {
          const task = (await (await api(`/api/tasks/${id}`)).json()) as { state: string };
          return !["queued", "running"].includes(task.state) && task;
        },
        // "running" comes before the engine answers: a cancel then waits for the submit, and the restart that
        // stops the job, both Wine engine starts (up to ~30 s each on a loaded 2-core machine, and more while
        // other test runs share it: this timed out at 150 s twice with another suite running beside it).
        240_000,
        100,
      );
      expect(t.state).toBe("cancelled");
      await waitFor("the old engine gone", () => !kit.processes("sd-server.exe").some((p) => before.includes(p.pid)), 30_000, 100);
      expect(kit.processes("sd-server.exe").length).toBeLessThanOrEqual(1);
    }, 400_000);

    test("a second --server on the same data folder is refused; the first keeps serving", async () => {
      const second = await kit.run(["--server", "--port", String(await freePort()), "--data-dir", kit.win(data)]);
      expect(second.code).not.toBe(0);
      expect(second.out).toMatch(/already running/i);
      expect((await api("/api/health")).status).toBe(200);
    }, 120_000);

    test("the launcher killed: its idle engine ends too (no orphan sd-server.exe)", async () => {
      // Idle: an engine busy writing progress would also die of the broken pipe, which proves less.
      await waitFor("one engine running", () => kit.processes("sd-server.exe").length === 1, 60_000, 100);
      await Bun.sleep(500); // nothing written for a while
      app.kill("SIGKILL");
      await app.proc.exited;
      await waitFor("no sd-server.exe left", () => kit.processes("sd-server.exe").length === 0, 30_000, 100);
    }, 120_000);
  });
});
