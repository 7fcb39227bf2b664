/**
 * Known models: an installed file found on Civitai by its sha256 (a local
 * stand-in of GET /api/v1/model-versions/by-hash/{hash} and /api/v1/models/{id},
 * in Civitai's documented shapes) shows the model's name, base model, trigger
 * words and a cached preview; a file Civitai does not know is asked once;
 * "check for updates" names a newer version; the opt-out asks nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import type { ModelsService } from "../../models/service";
import { modelsService } from "../../models/service";
import { modelsNetService } from "../../models/net/service";
import { TELLTALES, writeSafetensors } from "./fixtures";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const asked: string[] = [];
let civitai: ReturnType<typeof Bun.serve>;
let app: RunningApp;
let dir: string;
let known = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ed-civitai-"));
  mkdirSync(join(dir, "models", "lora"), { recursive: true });
  writeSafetensors(join(dir, "models", "lora", "detail.safetensors"), TELLTALES.lora_sd1!);
  writeSafetensors(join(dir, "models", "lora", "mine.safetensors"), TELLTALES.lora_sdxl!);
  known = new Bun.CryptoHasher("sha256").update(await Bun.file(join(dir, "models", "lora", "detail.safetensors")).bytes()).digest("hex");
  civitai = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req) => {
      const url = new URL(req.url);
      asked.push(url.pathname);
      if (url.pathname === `/api/v1/model-versions/by-hash/${known}`)
        return Response.json({ id: 62833, modelId: 58390, name: "v1.0", baseModel: "SD 1.5", trainedWords: ["add_detail", "detailed"], model: { name: "Detail Tweaker", type: "LORA" }, images: [{ url: `http://127.0.0.1:${civitai.port}/img/preview.png`, type: "image" }] });
      if (url.pathname.startsWith("/api/v1/model-versions/by-hash/")) return Response.json({ error: "Model not found" }, { status: 404 });
      if (url.pathname === "/api/v1/models/58390") return Response.json({ id: 58390, name: "Detail Tweaker", modelVersions: [{ id: 70000, name: "v2.0" }, { id: 62833, name: "v1.0" }] });
      if (url.pathname === "/img/preview.png") return new Response(PNG, { headers: { "content-type": "image/png" } });
      return new Response("no", { status: 404 });
    },
  });
  writeFileSync(join(dir, "config.yaml"), `ui:\n  open_window: false\nmodels:\n  civitai_lookup: true\n  civitai_base: http://127.0.0.1:${civitai.port}\n`);
  let models: ModelsService | undefined;
  const modelsFactory = modelsService({});
  app = await startApp({
    run: { server: true, noOpen: true, dataDir: dir, port: 20000 + Math.floor(Math.random() * 30000) },
    env: { ...readEnv({}), edHome: undefined },
    services: [modelsNetService({ library: () => models }), async (ctx) => (models = (await modelsFactory(ctx)) as ModelsService)],
    log: silentLogger,
  });
});
afterAll(async () => {
  await app.stop();
  civitai.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

type Listed = { models: { kind: string; name: string; sha256: string | null; civitai: { name: string; baseModel: string; trainedWords: string[]; preview: string | null; modelId: number; updateAvailable?: { versionId: number; name: string } } | null }[] };
const list = async () => (await (await fetch(new URL("/api/models", app.url))).json()) as Listed;
const lora = (l: Listed, name: string) => l.models.find((m) => m.kind === "lora" && m.name === name)!;

describe("Civitai by hash", () => {
  test("a known file gets its name, base model, trigger words and a cached preview; an unknown one is asked once", async () => {
    // Hashing runs in the background; the lookup follows the first listing that knows the hash.
    const deadline = Date.now() + 20_000;
    let l = await list();
    while (Date.now() < deadline && !lora(l, "detail.safetensors").civitai) {
      await Bun.sleep(100);
      l = await list();
    }
    const detail = lora(l, "detail.safetensors");
    expect(detail.sha256).toBe(known);
    expect(detail.civitai).toMatchObject({ name: "Detail Tweaker", baseModel: "SD 1.5", trainedWords: ["add_detail", "detailed"], modelId: 58390, preview: `/api/models/preview/${known}` });
    const preview = await fetch(new URL(detail.civitai!.preview!, app.url));
    expect(preview.status).toBe(200);
    expect(new Uint8Array(await preview.arrayBuffer())).toEqual(PNG);
    expect(lora(l, "mine.safetensors").civitai).toBeNull();
    const before = asked.filter((p) => p.includes("by-hash")).length;
    await list();
    await list();
    expect(asked.filter((p) => p.includes("by-hash")).length).toBe(before);
  });

  test("check for updates names the newer version; previews are served from their cache folder only", async () => {
    const res = await fetch(new URL("/api/models/lora/detail.safetensors/check-update", app.url), { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ updateAvailable: { versionId: 70000, name: "v2.0" } });
    // The update found is kept: the Installed list shows it without asking again.
    expect(lora(await list(), "detail.safetensors").civitai?.updateAvailable).toEqual({ versionId: 70000, name: "v2.0" });
    expect((await fetch(new URL("/api/models/lora/nope.safetensors/check-update", app.url), { method: "POST" })).status).toBe(404);
    for (const bad of ["../../config.yaml", "%2e%2e%2fconfig.yaml", "0".repeat(64), "abc"]) expect((await fetch(new URL(`/api/models/preview/${bad}`, app.url))).status).toBe(404);
    // A link planted in the cache folder that leads out of it is not followed.
    const outside = join(dir, "secret.png");
    writeFileSync(outside, PNG);
    symlinkSync(outside, join(app.ctx.paths.modelPreviews, `${"c".repeat(64)}.png`));
    expect((await fetch(new URL(`/api/models/preview/${"c".repeat(64)}`, app.url))).status).toBe(404);
  });

  test("with the lookup off, nothing is asked and nothing shown", async () => {
    app.ctx.config.update({ models: { civitai_lookup: false } });
    const n = asked.length;
    const l = await list();
    expect(lora(l, "detail.safetensors").civitai).toBeNull();
    expect(asked.length).toBe(n);
  });
});
