/**
 * Civitai facts for installed models, against a local stand-in of Civitai's
 * REST API v1 (GET /api/v1/model-versions/by-hash/:sha256 and
 * GET /api/v1/models/:id, documented shapes) and of its image CDN: the
 * by-hash lookup fills Entry.civitai, the preview is fetched once and served
 * only from the cache folder, negative answers are remembered until their
 * retry time, the opt-out asks nothing, "check for updates" compares versions,
 * and the companions hook names catalogue entries.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../launcher/env";
import { silentLogger } from "../../launcher/log";
import { startApp, type RunningApp } from "../../launcher/start";
import type { ModelEntry } from "../../models/entry";
import { loadCatalog } from "../../models/net/catalog";
import { catalogCompanion } from "../../models/net/catalog-companions";
import { CivitaiLookup, NEGATIVE_RETRY_MS } from "../../models/net/civitai-lookup";
import { withCivitai } from "../../models/net/civitai-service";
import { PreviewCache } from "../../models/net/previews";
import { modelsService } from "../../models/service";

function safetensors(tensor: string): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ [tensor]: { dtype: "F16", shape: [4, 320], data_offsets: [0, 2560] } }));
  const out = new Uint8Array(8 + header.length + 2560);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  return out;
}
const sha = (b: Uint8Array) => new Bun.CryptoHasher("sha256").update(b).digest("hex");
const KNOWN = safetensors("lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight");
const UNKNOWN = safetensors("lora_unet_down_blocks_1_attentions_0_proj_in.lora_down.weight");
const GATED = safetensors("lora_unet_down_blocks_2_attentions_0_proj_in.lora_down.weight");
const KNOWN_SHA = sha(KNOWN);
const GATED_SHA = sha(GATED);
const UNKNOWN_SHA = sha(UNKNOWN);
/** A 1×1 PNG's first bytes are enough for the type check. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

const seen: { host: string; path: string; auth: string | null }[] = [];
let civitai: ReturnType<typeof Bun.serve>;
let cdn: ReturnType<typeof Bun.serve>;
let app: RunningApp;
let dir: string;

beforeAll(async () => {
  cdn = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req) => {
      seen.push({ host: "cdn", path: new URL(req.url).pathname, auth: req.headers.get("authorization") });
      return new Response(PNG as Uint8Array<ArrayBuffer>, { headers: { "content-type": "image/png" } });
    },
  });
  civitai = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req) => {
      const path = new URL(req.url).pathname;
      seen.push({ host: "civitai", path, auth: req.headers.get("authorization") });
      if (path === `/api/v1/model-versions/by-hash/${KNOWN_SHA}`)
        return Response.json({
          id: 62833,
          modelId: 58390,
          name: "v1.0",
          baseModel: "SD 1.5",
          trainedWords: ["add_detail", ""],
          model: { name: "Detail Tweaker", type: "LORA", nsfw: false },
          files: [{ name: "add_detail.safetensors", hashes: { SHA256: KNOWN_SHA.toUpperCase() } }],
          images: [
            { url: `http://127.0.0.1:${cdn.port}/video.mp4`, type: "video", nsfwLevel: 1 },
            { url: `http://127.0.0.1:${cdn.port}/spicy.png`, type: "image", nsfwLevel: 8 },
            { url: `http://127.0.0.1:${cdn.port}/safe.png`, type: "image", nsfwLevel: 1 },
          ],
        });
      if (path === `/api/v1/model-versions/by-hash/${GATED_SHA}`) return Response.json({ id: 5, modelId: 99, name: "v1", baseModel: "SDXL 1.0", model: { name: "Members only" } });
      if (path === "/api/v1/models/99") return Response.json({ error: "login required" }, { status: 403 });
      if (path.startsWith("/api/v1/model-versions/by-hash/")) return Response.json({ error: "Model not found" }, { status: 404 });
      if (path === "/api/v1/models/58390") return Response.json({ id: 58390, name: "Detail Tweaker", modelVersions: [{ id: 70000, name: "v2.0" }, { id: 62833, name: "v1.0" }] });
      return new Response("no", { status: 404 });
    },
  });
  dir = mkdtempSync(join(tmpdir(), "ed-models-civitai-"));
  mkdirSync(join(dir, "models", "lora"), { recursive: true });
  writeFileSync(join(dir, "models", "lora", "detail.safetensors"), KNOWN);
  writeFileSync(join(dir, "models", "lora", "mine.safetensors"), UNKNOWN);
  writeFileSync(join(dir, "models", "lora", "gated.safetensors"), GATED);
  writeFileSync(join(dir, "config.yaml"), `ui:\n  open_window: false\nmodels:\n  civitai_base: http://127.0.0.1:${civitai.port}\n  civitai_token: cv_secret\n`);
  app = await startApp({
    run: { server: true, noOpen: true, dataDir: dir, port: 20000 + Math.floor(Math.random() * 30000), host: "127.0.0.1" },
    env: { ...readEnv({}), edHome: undefined },
    services: [withCivitai(modelsService())],
    log: silentLogger,
  });
});
afterAll(async () => {
  await app.stop("test");
  for (const s of [cdn, civitai]) s.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

const api = (path: string, init?: RequestInit) => fetch(new URL(path, app.url), init);
const list = async () => ((await (await api("/api/models")).json()) as { models: ModelEntry[] }).models;
/** Lists until both files are hashed and looked up (the hashing and lookups run in the background). */
async function listLookedUp(): Promise<ModelEntry[]> {
  for (;;) {
    const models = await list();
    const known = models.find((m) => m.name === "detail.safetensors");
    const asked = seen.some((s) => s.path.endsWith(UNKNOWN_SHA)) && !!models.find((m) => m.name === "gated.safetensors")?.civitai;
    if (known?.civitai?.preview && asked) return models;
    await Bun.sleep(20);
  }
}

describe("Civitai by-hash lookup", () => {
  test("a known file gets its name, base model, trigger words and a cached preview; the token goes to Civitai only", async () => {
    const models = await listLookedUp();
    const known = models.find((m) => m.name === "detail.safetensors")!;
    expect(known.sha256).toBe(KNOWN_SHA);
    expect(known.civitai).toEqual({
      modelId: 58390,
      versionId: 62833,
      name: "Detail Tweaker",
      versionName: "v1.0",
      baseModel: "SD 1.5",
      trainedWords: ["add_detail"],
      preview: `/api/models/preview/${KNOWN_SHA}`,
      url: `http://127.0.0.1:${civitai.port}/models/58390?modelVersionId=62833`,
    });
    expect(models.find((m) => m.name === "mine.safetensors")!.civitai).toBeNull();
    // The safest still picture, fetched once, without the token.
    expect(seen.filter((s) => s.host === "cdn").map((s) => s.path)).toEqual(["/safe.png"]);
    expect(seen.filter((s) => s.host === "cdn").every((s) => s.auth === null)).toBe(true);
    expect(seen.filter((s) => s.host === "civitai").every((s) => s.auth === "Bearer cv_secret")).toBe(true);

    const res = await api(`/api/models/preview/${KNOWN_SHA}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
  });

  test("answers are kept: listing again asks Civitai nothing (the negative answer too)", async () => {
    await listLookedUp();
    const before = seen.length;
    await list();
    await list();
    expect(seen.length).toBe(before);
  });

  test("check for updates compares with the model's newest version and shows it in the list", async () => {
    const res = await api("/api/models/lora/detail.safetensors/check-update", { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ updateAvailable: { versionId: 70000, name: "v2.0" } });
    expect((await list()).find((m) => m.name === "detail.safetensors")!.civitai!.updateAvailable).toEqual({ versionId: 70000, name: "v2.0" });
    expect(await (await api("/api/models/lora/mine.safetensors/check-update", { method: "POST" })).json()).toEqual({ updateAvailable: null });
    expect((await api("/api/models/lora/nothing.safetensors/check-update", { method: "POST" })).status).toBe(404);
    expect((await api("/api/models/nokind/detail.safetensors/check-update", { method: "POST" })).status).toBe(404);
    const gated = await api("/api/models/lora/gated.safetensors/check-update", { method: "POST" });
    expect(gated.status).toBe(403);
    expect(((await gated.json()) as { error: { code: string; message: string } }).error).toEqual({ code: "needs_token", message: expect.stringContaining("Civitai API key") });
  });

  test("the preview route serves only sha256 names from the cache folder", async () => {
    expect((await api("/api/models/preview/..%2F..%2Fconfig.yaml")).status).toBe(400);
    expect((await api("/api/models/preview/..%5C..%5Cconfig.yaml")).status).toBe(400);
    expect((await api(`/api/models/preview/${UNKNOWN_SHA}`)).status).toBe(404);
    // A link planted in the cache folder that leads outside it is not followed.
    const outside = join(dir, "secret.png");
    writeFileSync(outside, PNG);
    const planted = "a".repeat(64);
    symlinkSync(outside, join(app.ctx.paths.modelPreviews, planted));
    expect((await api(`/api/models/preview/${planted}`)).status).toBe(404);
  });
});

describe("CivitaiLookup on its own", () => {
  const entry = (sha256: string | null) => ({ sha256 }) as ModelEntry;
  const setup = (enabled: boolean, now: () => number) => {
    const tmp = mkdtempSync(join(tmpdir(), "ed-civitai-unit-"));
    const asked: string[] = [];
    const lookup = new CivitaiLookup({
      database: join(tmp, "db.sqlite"),
      previews: new PreviewCache(join(tmp, "previews")),
      enabled: () => enabled,
      base: () => `http://127.0.0.1:${civitai.port}`,
      auth: () => ({}),
      now,
      fetch: (async (url: string | URL | Request) => {
        asked.push(String(url));
        return fetch(url);
      }) as typeof fetch,
    });
    return { lookup, asked, done: () => (lookup.stop(), rmSync(tmp, { recursive: true, force: true })) };
  };

  test("opt-out (models.civitai_lookup false): nothing is asked, nothing is shown", async () => {
    const { lookup, asked, done } = setup(false, Date.now);
    expect(lookup.enrich(entry(KNOWN_SHA))).toBeNull();
    await lookup.idle();
    expect(asked).toEqual([]);
    done();
  });

  test("a negative answer is asked again only after its retry time; files without a hash are not asked", async () => {
    let now = 1_000_000;
    const { lookup, asked, done } = setup(true, () => now);
    expect(lookup.enrich(entry(null))).toBeNull();
    expect(lookup.enrich(entry(UNKNOWN_SHA))).toBeNull();
    await lookup.idle();
    expect(asked.length).toBe(1);
    expect(lookup.cached(UNKNOWN_SHA)).toBeNull();
    lookup.enrich(entry(UNKNOWN_SHA));
    await lookup.idle();
    expect(asked.length).toBe(1);
    now += NEGATIVE_RETRY_MS + 1;
    lookup.enrich(entry(UNKNOWN_SHA));
    await lookup.idle();
    expect(asked.length).toBe(2);
    done();
  });
});

describe("companions from the catalogue", () => {
  test("each companion role names the starter entry of the family that provides it", () => {
    const hook = catalogCompanion(loadCatalog(undefined, "https://huggingface.co"));
    expect(hook("flux", "t5xxl")).toBe("flux1-schnell-q4");
    expect(hook("flux", "clip_l")).toBe("flux1-schnell-q4");
    expect(hook("flux", "vae")).toBe("flux1-schnell-q4");
    expect(hook("z-image", "llm")).toBe("z-image-turbo-q3");
    expect(hook("sdxl", "vae")).toBe("sdxl");
    expect(hook("sdxl", "t5xxl")).toBeNull();
    expect(hook("wan", "vae")).toBeNull();
  });
});
