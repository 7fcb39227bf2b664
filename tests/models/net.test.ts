/**
 * Models from the network, against local stand-ins of Hugging Face (resolve
 * URLs that redirect to a CDN with X-Linked-Etag, the model search and file
 * listing APIs) and Civitai (GET /api/v1/models), built from their documented
 * shapes: catalogue and recommendation, downloads with checksums and tokens,
 * clear errors, search.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import { loadCatalog, recommend } from "../../models/net/catalog";
import { modelsNetService } from "../../models/net/service";
import { followDownloads, type DownloadFollower } from "./download-events";
import { tinyLora } from "./fixtures";
import { fromCivitai } from "../../models/net/search";

const MODEL = tinyLora();
const SHA = new Bun.CryptoHasher("sha256").update(MODEL).digest("hex");
const seen: { host: string; path: string; auth: string | null }[] = [];

let cdn: ReturnType<typeof Bun.serve>;
let hf: ReturnType<typeof Bun.serve>;
let civitai: ReturnType<typeof Bun.serve>;
let app: RunningApp;
let dir: string;
let follower: DownloadFollower;

beforeAll(async () => {
  cdn = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req) => {
      const path = new URL(req.url).pathname;
      seen.push({ host: "cdn", path, auth: req.headers.get("authorization") });
      if (path === "/blob/notes.safetensors") return new Response("just some text, not a model at all".repeat(10));
      return new Response(MODEL as Uint8Array<ArrayBuffer>);
    },
  });
  hf = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req) => {
      const url = new URL(req.url);
      seen.push({ host: "hf", path: url.pathname, auth: req.headers.get("authorization") });
      if (url.pathname.startsWith("/gated/")) return req.headers.get("authorization") === "Bearer hf_ok" ? Response.redirect(`http://127.0.0.1:${cdn.port}/blob/model`, 302) : new Response("Access to model gated/x is restricted", { status: 401 });
      if (url.pathname.startsWith("/missing/")) return new Response("Entry not found", { status: 404 });
      if (url.pathname === "/api/models") return Response.json([{ id: "someone/detail-lora", author: "someone", downloads: 120, likes: 7, tags: ["lora", "license:mit", "base_model:stable-diffusion-v1-5/stable-diffusion-v1-5"] }]);
      if (url.pathname === "/api/models/someone/detail-lora")
        return Response.json({ id: "someone/detail-lora", siblings: [{ rfilename: "README.md", size: 10 }, { rfilename: "detail.safetensors", size: MODEL.length, lfs: { sha256: SHA, size: MODEL.length } }] });
      // /<repo>/resolve/main/<file>: a redirect to the CDN that names the LFS sha256, as Hugging Face does.
      const wrong = url.pathname.includes("wrong-sha");
      const file = url.pathname.endsWith("notes.safetensors") ? "notes.safetensors" : "model";
      const headers = { location: `http://127.0.0.1:${cdn.port}/blob/${file}`, "x-linked-etag": `"${wrong ? "0".repeat(64) : SHA}"`, "x-linked-size": String(MODEL.length) };
      return new Response(null, { status: 302, headers });
    },
  });
  civitai = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req) => {
      const url = new URL(req.url);
      seen.push({ host: "civitai", path: url.pathname + url.search, auth: req.headers.get("authorization") });
      if (url.searchParams.get("query") === "gated") return new Response("{}", { status: 403 });
      return Response.json({
        items: [
          {
            id: 58390,
            name: "Detail Tweaker",
            type: "LORA",
            creator: { username: "artist" },
            stats: { downloadCount: 500000, thumbsUpCount: 9000 },
            allowCommercialUse: ["Image", "Rent"],
            modelVersions: [{ id: 62833, name: "v1.0", baseModel: "SD 1.5", images: [{ url: "https://image.civitai.example/x.jpeg", type: "image" }], files: [{ name: "add_detail.safetensors", sizeKB: 36.1, type: "Model", downloadUrl: `http://127.0.0.1:${civitai.port}/api/download/models/62833`, hashes: { SHA256: SHA.toUpperCase() } }] }],
          },
          { id: 1, name: "A workflow", type: "Workflows", modelVersions: [] },
        ],
        metadata: { nextCursor: "62833|1" },
      });
    },
  });
  dir = mkdtempSync(join(tmpdir(), "ed-models-net-"));
  writeFileSync(join(dir, "config.yaml"), `ui:\n  open_window: false\nmodels:\n  civitai_lookup: false\n  huggingface_base: http://127.0.0.1:${hf.port}\n  civitai_base: http://127.0.0.1:${civitai.port}\n  huggingface_token: hf_ok\n`);
  const catalogText = `entries:\n  - id: tiny\n    title: Tiny LoRA set\n    family: sd1\n    description: Two files.\n    licence: MIT\n    licenceUrl: "{hf}/x"\n    memory: { vramGb: 0, ramGb: 1 }\n    files:\n      - { url: "{hf}/a/resolve/main/tiny.safetensors", kind: lora, name: tiny.safetensors, size: 10 }\n      - { url: "{hf}/b/resolve/main/tiny2.safetensors", kind: lora, name: tiny2.safetensors }\n    set: { model: tiny.safetensors }\n`;
  app = await startApp({
    run: { server: true, noOpen: true, dataDir: dir, port: 20000 + Math.floor(Math.random() * 30000) },
    env: { ...readEnv({}), edHome: undefined },
    services: [modelsNetService({ catalogText, machine: async () => ({ gpu: false, vramGb: 0, ramGb: 16 }), retries: 0, backoffMs: 1 })],
    log: silentLogger,
  });
  follower = followDownloads(app);
});
afterAll(async () => {
  await app.stop();
  for (const s of [cdn, hf, civitai]) s.stop(true);
  rmSync(dir, { recursive: true, force: true });
});


describe("the starter catalogue", () => {
  test("the shipped one covers SD 1.5, SDXL with its fp16 VAE, an SDXL turbo, FLUX.1 schnell, Z-Image Turbo and Wan 2.1 T2V 1.3B as multi-file sets", () => {
    const entries = loadCatalog(undefined, "https://huggingface.co");
    expect(entries.map((e) => e.id)).toEqual(["sd15", "sdxl", "sdxl-turbo", "flux1-schnell-q4", "z-image-turbo-q3", "wan21-t2v-1-3b"]);
    expect(entries.find((e) => e.id === "wan21-t2v-1-3b")!.files.map((f) => f.kind)).toEqual(["diffusion_models", "vae", "text_encoders"]);
    expect(entries.find((e) => e.id === "sdxl")!.files.map((f) => f.kind)).toEqual(["stable-diffusion", "vae"]);
    expect(entries.find((e) => e.id === "flux1-schnell-q4")!.files.map((f) => f.kind)).toEqual(["diffusion_models", "vae", "text_encoders", "text_encoders"]);
    expect(entries.find((e) => e.id === "z-image-turbo-q3")!.set.text_encoders).toEqual(["Qwen3-4B-Instruct-2507-Q4_K_M.gguf"]);
    for (const e of entries) for (const f of e.files) expect(f.url).toStartWith("https://huggingface.co/");
  });

  test("recommendation by machine: CPU or small GPU → SD 1.5; 4–8 GB → Z-Image Turbo; 8–12 GB → SDXL; bigger → FLUX.1 schnell", () => {
    const entries = loadCatalog(undefined, "https://huggingface.co");
    expect(recommend(entries, { gpu: false, vramGb: 0, ramGb: 16 }).id).toBe("sd15");
    expect(recommend(entries, { gpu: true, vramGb: 2, ramGb: 16 }).id).toBe("sd15");
    expect(recommend(entries, { gpu: true, vramGb: 6, ramGb: 16 }).id).toBe("z-image-turbo-q3");
    expect(recommend(entries, { gpu: true, vramGb: 8, ramGb: 32 }).id).toBe("sdxl");
    expect(recommend(entries, { gpu: true, vramGb: 24, ramGb: 64 })).toEqual({ id: "flux1-schnell-q4", reason: expect.stringContaining("24 GB") });
  });

  test("GET /api/models/catalog: entries with their URLs on the configured host, installed, and the recommendation", async () => {
    const body = (await (await fetch(new URL("/api/models/catalog", app.url))).json()) as { entries: { id: string; installed: boolean; files: { url: string }[] }[]; recommended: { id: string } };
    expect(body.entries[0]!.files[0]!.url).toBe(`http://127.0.0.1:${hf.port}/a/resolve/main/tiny.safetensors`);
    expect(body.entries[0]!.installed).toBe(false);
    expect(body.recommended.id).toBe("tiny");
  });
});

describe("downloads", () => {
  test("a catalogue entry: every file, verified by Hugging Face's sha256, into its folder; the token goes to Hugging Face, not to the CDN", async () => {
    seen.length = 0;
    const res = await follower.post("/api/models/download", { catalog: "tiny" });
    expect(res.status).toBe(202);
    const { ids } = (await res.json()) as { ids: string[] };
    expect(ids).toHaveLength(2);
    for (const id of ids) expect((await follower.finished(id)).phase).toBe("installed");
    expect(existsSync(join(dir, "models", "lora", "tiny.safetensors"))).toBe(true);
    expect(follower.events.filter((e) => e.id === ids[0]).map((e) => e.phase)).not.toContain("done");
    expect(seen.filter((s) => s.host === "hf").every((s) => s.auth === "Bearer hf_ok")).toBe(true);
    expect(seen.filter((s) => s.host === "cdn").every((s) => s.auth === null)).toBe(true);
    const again = await follower.post("/api/models/download", { catalog: "tiny" });
    expect(again.status).toBe(409);
    const catalog = (await (await fetch(new URL("/api/models/catalog", app.url))).json()) as { entries: { installed: boolean }[] };
    expect(catalog.entries[0]!.installed).toBe(true);
  });

  test("a sha256 mismatch fails and leaves nothing; a file that is not a model is refused and deleted", async () => {
    const bad = (await (await follower.post("/api/models/download", { url: `http://127.0.0.1:${hf.port}/r/resolve/main/wrong-sha.safetensors`, kind: "lora" })).json()) as { id: string };
    const failed = await follower.finished(bad.id);
    expect(failed.phase).toBe("failed");
    expect(failed.error?.code).toBe("verify_failed");
    expect(existsSync(join(dir, "models", "lora", "wrong-sha.safetensors"))).toBe(false);
    const notes = (await (await follower.post("/api/models/download", { url: `http://127.0.0.1:${cdn.port}/blob/notes.safetensors`, kind: "lora" })).json()) as { id: string };
    const refused = await follower.finished(notes.id);
    expect(refused.phase).toBe("failed");
    expect(refused.error?.message).toContain("is not a model file");
    expect(existsSync(join(dir, "models", "lora", "notes.safetensors"))).toBe(false);
  });

  test("401 says a token or the licence is needed; 404 says there is no such file; bad input is 400", async () => {
    app.ctx.config.update({ models: { huggingface_token: "" } });
    const gated = (await (await follower.post("/api/models/download", { url: `http://127.0.0.1:${hf.port}/gated/x/resolve/main/g.safetensors`, kind: "stable-diffusion" })).json()) as { id: string };
    const g = await follower.finished(gated.id);
    expect(g.error).toEqual({ code: "needs_token", message: "Hugging Face answered 401: accept the licence on the model's page or add a token in Settings → Models" });
    app.ctx.config.update({ models: { huggingface_token: "hf_ok" } });
    const missing = (await (await follower.post("/api/models/download", { url: `http://127.0.0.1:${hf.port}/missing/resolve/main/m.safetensors`, kind: "vae" })).json()) as { id: string };
    expect((await follower.finished(missing.id)).error?.code).toBe("not_found");
    expect((await follower.post("/api/models/download", { url: "file:///etc/passwd", kind: "vae" })).status).toBe(400);
    expect((await follower.post("/api/models/download", { url: `http://127.0.0.1:${cdn.port}/x`, kind: "vae", name: "../../evil.safetensors" })).status).toBe(400);
    expect((await follower.post("/api/models/download", { url: `http://127.0.0.1:${cdn.port}/x`, kind: "nope" })).status).toBe(400);
    expect((await follower.post("/api/models/download", { url: `http://127.0.0.1:${cdn.port}/api/download/1`, kind: "lora" })).status).toBe(400);
    expect(readdirSync(join(dir, "models"))).not.toContain("evil.safetensors");
  });
});

describe("search", () => {
  test("Civitai: the documented shape mapped (type, base model, thumbnail, sha256, licence, next cursor); other types left out", async () => {
    const res = await fetch(new URL("/api/models/search?source=civitai&q=detail&type=lora&base=SD%201.5", app.url));
    const body = (await res.json()) as { results: Record<string, unknown>[]; next: string };
    expect(body.next).toBe("62833|1");
    expect(body.results).toHaveLength(1);
    expect(body.results[0]).toMatchObject({ source: "civitai", id: "58390", name: "Detail Tweaker", type: "lora", baseModel: "SD 1.5", downloads: 500000, likes: 9000, thumbnail: "https://image.civitai.example/x.jpeg" });
    expect((body.results[0]!.files as { sha256: string; size: number }[])[0]).toMatchObject({ name: "add_detail.safetensors", sha256: SHA, size: 36966 });
    expect(seen.some((s) => s.host === "civitai" && s.path.includes("types=LORA") && s.path.includes("baseModels=SD+1.5"))).toBe(true);
    const gated = await fetch(new URL("/api/models/search?source=civitai&q=gated", app.url));
    expect(gated.status).toBe(403);
    expect(((await gated.json()) as { error: { code: string } }).error.code).toBe("needs_token");
    expect((await fetch(new URL("/api/models/search?source=elsewhere", app.url))).status).toBe(400);
  });

  test("Hugging Face: repositories with their model files, sizes and LFS sha256, licence and base model from the tags", async () => {
    const body = (await (await fetch(new URL("/api/models/search?source=huggingface&q=detail&type=lora", app.url))).json()) as { results: Record<string, unknown>[] };
    expect(body.results[0]).toMatchObject({ source: "huggingface", id: "someone/detail-lora", type: "lora", licence: "mit", baseModel: "stable-diffusion-v1-5/stable-diffusion-v1-5" });
    expect(body.results[0]!.files).toEqual([{ name: "detail.safetensors", url: `http://127.0.0.1:${hf.port}/someone/detail-lora/resolve/main/detail.safetensors`, size: MODEL.length, sha256: SHA }]);
  });

  test("fromCivitai is pure and skips versions without files", () => {
    expect(fromCivitai({ items: [{ id: 2, name: "x", type: "Checkpoint", modelVersions: [] }] }, "https://civitai.com")).toEqual({ results: [], next: null });
  });
});
