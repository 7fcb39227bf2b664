/**
 * Where a downloaded model file came from, remembered by its sha256
 * (models/net/download-sources.ts) so a worker can be sent there too: files
 * downloaded through the real route (POST /api/models/download {url}) from a
 * local Hugging Face stand-in are remembered as their path there, put back on
 * the Hugging Face host configured when asked (a mirror set later included),
 * and kept over a restart; a file from another host is not remembered.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import { pathUnder } from "../../models/net/download-sources";
import { modelsNetService, type ModelsNetService } from "../../models/net/service";
import { followDownloads } from "./download-events";
import { tinyLora } from "./fixtures";
import { hfStandin, type HfStandin } from "./hf-standin";

const MODEL = tinyLora();
const OTHER = tinyLora().map((b, i) => (i === MODEL.length - 1 ? 7 : b));
const sha = (b: Uint8Array) => new Bun.CryptoHasher("sha256").update(b).digest("hex");

let hf: HfStandin;
let plain: ReturnType<typeof Bun.serve>;
let dir: string;

/** The app with the models net service on `dir`, and that service. */
async function start(): Promise<{ app: RunningApp; net: ModelsNetService }> {
  let net!: ModelsNetService;
  const factory = modelsNetService({ machine: async () => ({ gpu: false, vramGb: 0, ramGb: 16 }), retries: 1, backoffMs: 1 });
  const app = await startApp({
    run: { server: true, noOpen: true, dataDir: dir, port: 20000 + Math.floor(Math.random() * 30000) },
    env: { ...readEnv({}), edHome: undefined },
    services: [async (ctx) => (net = (await factory(ctx)) as ModelsNetService)],
    log: silentLogger,
  });
  return { app, net };
}

/** Downloads `url` into the LoRA folder through the real route; its end. */
async function download(app: RunningApp, url: string, name: string) {
  const follower = followDownloads(app);
  const res = await follower.post("/api/models/download", { url, kind: "lora", name });
  expect(res.status).toBe(202);
  return follower.finished(((await res.json()) as { id: string }).id);
}

beforeAll(() => {
  hf = hfStandin({ "detail.safetensors": MODEL }, { "someone/loras": "open" });
  plain = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(OTHER) });
  dir = mkdtempSync(join(tmpdir(), "ed-download-sources-"));
  writeFileSync(join(dir, "config.yaml"), `ui:\n  open_window: false\nmodels:\n  civitai_lookup: false\n  huggingface_base: ${hf.base}\n`);
});

afterAll(() => {
  hf.stop();
  plain.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

describe("where a downloaded model file came from", () => {
  test("pathUnder: a file address under the Hugging Face host (and a mirror's folder), nothing else", () => {
    expect(pathUnder("https://huggingface.co/org/repo/resolve/main/a.safetensors?download=true", "https://huggingface.co")).toBe(
      "/org/repo/resolve/main/a.safetensors",
    );
    expect(pathUnder("http://mirror.lan/hf/org/repo/resolve/abc123/sub/a.gguf", "http://mirror.lan/hf/")).toBe("/org/repo/resolve/abc123/sub/a.gguf");
    expect(pathUnder("http://mirror.lan/org/repo/resolve/main/a.gguf", "http://mirror.lan/hf")).toBeNull();
    expect(pathUnder("https://civitai.com/api/download/models/4242", "https://huggingface.co")).toBeNull();
    expect(pathUnder("https://huggingface.co/org/repo/blob/main/a.safetensors", "https://huggingface.co")).toBeNull();
    expect(pathUnder("https://huggingface.co.evil.example/org/repo/resolve/main/a.safetensors", "https://huggingface.co")).toBeNull();
    expect(pathUnder("not a url", "https://huggingface.co")).toBeNull();
  });

  test("a file downloaded from Hugging Face is remembered by its sha256, on the host configured when asked, over a restart", async () => {
    const url = `${hf.base}/someone/loras/resolve/main/detail.safetensors`;
    let { app, net } = await start();
    try {
      expect((await download(app, url, "detail.safetensors")).phase).toBe("installed");
      expect(net.sources.huggingfaceUrl(sha(MODEL), hf.base)).toBe(url);
      expect(net.sources.huggingfaceUrl(sha(MODEL).toUpperCase(), "http://mirror.lan/hf/")).toBe("http://mirror.lan/hf/someone/loras/resolve/main/detail.safetensors");
      expect(net.sources.huggingfaceUrl(sha(OTHER), hf.base)).toBeNull();
    } finally {
      await app.stop();
    }
    ({ app, net } = await start());
    try {
      expect(net.sources.huggingfaceUrl(sha(MODEL), hf.base)).toBe(url);
    } finally {
      await app.stop();
    }
  });

  test("a file from another host is not remembered", async () => {
    const { app, net } = await start();
    try {
      expect((await download(app, `http://127.0.0.1:${plain.port}/files/other.safetensors`, "other.safetensors")).phase).toBe("installed");
      expect(net.sources.huggingfaceUrl(sha(OTHER), hf.base)).toBeNull();
    } finally {
      await app.stop();
    }
  });
});
