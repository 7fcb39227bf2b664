/**
 * Thumbnails from the compiled executable: its thumbnail Worker (a second
 * entry point of the build) and embedded WebAssembly decoders/encoder work
 * with no node_modules anywhere. Pictures left in outputs/ are found by the
 * start-up rescan; PNG, JPEG and WebP thumbnails come back as WebP.
 *
 * As in tests/queue/exe-webp.test.ts, the exe runs with this repository
 * hidden (a private mount namespace with an empty tmpfs over it) where the
 * machine allows it.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import decodeWebp from "@jsquash/webp/decode.js";
import { buildTestExe, canHideRepo, freePort, runExe, startExeWithoutRepo, stopExe, testDataDir, type TestExe } from "../exe/exe";
import { FAST, waitFor } from "../standin/fixtures";
import { packStandin } from "../standin/pack";
import { jpegWithInfotext, png, webpWithInfotext } from "./samples";

let exe: TestExe;

beforeAll(async () => {
  exe = await buildTestExe();
}, 180_000);

afterAll(() => exe?.cleanup());

test("the compiled exe indexes pictures and makes their thumbnails in its worker", async () => {
  const data = testDataDir(exe.dir, "data");
  const outputs = join(data, "outputs", "2026-01-01");
  mkdirSync(outputs, { recursive: true });
  writeFileSync(join(outputs, "a.png"), png(640, 320, { parameters: "a wide png\nSteps: 2, Sampler: Euler, CFG scale: 1, Seed: 1, Size: 640x320, Model: m" }));
  writeFileSync(join(outputs, "b.jpg"), jpegWithInfotext("a square jpeg\nSteps: 2, Sampler: Euler, CFG scale: 1, Seed: 2, Size: 300x300, Model: m", 300, 300));
  writeFileSync(join(outputs, "c.webp"), await webpWithInfotext("a tall webp\nSteps: 2, Sampler: Euler, CFG scale: 1, Seed: 3, Size: 200x400, Model: m", 200, 400));
  const build = join(exe.dir, "standin-build");
  await packStandin(build, FAST);
  const imported = await runExe(exe.file, ["engine", "import", build, "--data-dir", data], exe.dir);
  expect(imported.code).toBe(0);

  if (!canHideRepo) console.warn("exe-thumbs: cannot hide the repository (needs root for unshare -m); the exe runs with it visible");
  const app = startExeWithoutRepo(exe.file, ["--server", "--port", String(await freePort()), "--data-dir", data], { cwd: exe.dir });
  try {
    const [, url] = await app.waitForOutput(/running at (http:\/\/\S+)/);
    const api = (path: string) => fetch(new URL(path, url));
    const list = await waitFor(
      "the rescan",
      async () => {
        const page = (await (await api("/api/gallery")).json()) as { items: { id: number; prompt: string }[] };
        return page.items.length === 3 && page.items;
      },
      30_000,
    );
    const sizes: Record<string, [number, number]> = { "a wide png": [256, 128], "a square jpeg": [256, 256], "a tall webp": [128, 256] };
    for (const item of list) {
      const res = await api(`/api/gallery/${item.id}/thumb`);
      if (res.status !== 200) console.log(await res.text());
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/webp");
      const thumb = await decodeWebp((await res.arrayBuffer()) as ArrayBuffer);
      expect([thumb.width, thumb.height]).toEqual(sizes[item.prompt]!);
    }
  } finally {
    expect(await stopExe(app)).toBe(0);
  }
}, 150_000);
