/**
 * WebP output from the compiled executable: its embedded WebAssembly encoder
 * works with no node_modules anywhere. The exe imports the bundled stand-in
 * engine (`engine import`), runs `--server`, and a webp task comes back as a
 * real WebP carrying the request.
 *
 * The exe runs with this repository hidden (a private mount namespace with an
 * empty tmpfs over it): a compiled module can keep its build-time source path
 * and read files from there, which would pass here and fail on a user's machine.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import decodeWebp from "@jsquash/webp/decode.js";
import { buildTestExe, canHideRepo, freePort, runExe, startExeWithoutRepo, stopExe, testDataDir, type TestExe } from "../exe/exe";
import { FAST, waitFor } from "../standin/fixtures";
import { packStandin } from "../standin/pack";

let exe: TestExe;

beforeAll(async () => {
  exe = await buildTestExe();
}, 180_000);

afterAll(() => exe?.cleanup());

test("the compiled exe writes WebP with metadata through the queue", async () => {
  const data = testDataDir(exe.dir, "data");
  mkdirSync(join(data, "models", "stable-diffusion"), { recursive: true });
  writeFileSync(join(data, "models", "stable-diffusion", "sd-test.safetensors"), "stand-in model");
  const build = join(exe.dir, "standin-build");
  await packStandin(build, FAST);
  const imported = await runExe(exe.file, ["engine", "import", build, "--data-dir", data], exe.dir);
  expect(imported.out).toContain("as a cpu build");
  expect(imported.code).toBe(0);

  if (!canHideRepo) console.warn("exe-webp: cannot hide the repository (needs root for unshare -m); the exe runs with it visible");
  const app = startExeWithoutRepo(exe.file, ["--server", "--port", String(await freePort()), "--data-dir", data], { cwd: exe.dir });
  try {
    const [, url] = await app.waitForOutput(/running at (http:\/\/\S+)/);
    const api = (path: string, init?: RequestInit) => fetch(new URL(path, url), init);
    const request = { prompt: "a lighthouse, café 猫", model: "sd-test.safetensors", seed: 42, steps: 2, width: 192, height: 128, output_format: "webp", output_quality: 80 };
    const posted = await api("/api/tasks", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };
    const done = await waitFor(
      `task ${id} done`,
      async () => {
        const t = (await (await api(`/api/tasks/${id}`)).json()) as { state: string; error?: unknown; images: { url: string }[] };
        return ["succeeded", "failed"].includes(t.state) && t;
      },
      90_000,
    );
    expect(done.error).toBeUndefined();
    expect(done.state).toBe("succeeded");
    const img = await api(done.images[0]!.url);
    expect(img.headers.get("content-type")).toBe("image/webp");
    const bytes = new Uint8Array(await img.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 4)).toString("latin1")).toBe("RIFF");
    expect(Buffer.from(bytes.subarray(8, 12)).toString("latin1")).toBe("WEBP");
    const decoded = await decodeWebp(bytes.buffer as ArrayBuffer);
    expect([decoded.width, decoded.height]).toEqual([192, 128]);
    const parsed = await (await api("/api/metadata/parse", { method: "POST", headers: { "content-type": "image/webp" }, body: bytes })).json();
    expect(parsed).toMatchObject({ format: "webp", source: "easy-diffusion", settings: { prompt: "a lighthouse, café 猫", seed: 42, output_format: "webp", output_quality: 80 } });
  } finally {
    expect(await stopExe(app)).toBe(0);
  }
}, 150_000);
