/**
 * A starter file with several sources, downloaded through the real routes
 * (POST /api/models/download {catalog}) from a local Hugging Face stand-in:
 * 401/403/404/410 move on to the next source and progress names the one used;
 * a 500 is retried and then fails, and a mirror serving another file (other
 * bytes or another size than the recorded sha256 and size) fails — neither
 * falls through to a later source. A file only a gated repository has says so
 * in GET /api/models/catalog and downloads once a token is set.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import { modelsNetService } from "../../models/net/service";
import { followDownloads, type DownloadFollower } from "./download-events";
import { tinyLora } from "./fixtures";
import { hfStandin, type HfStandin } from "./hf-standin";

const MODEL = tinyLora();
const SHA = new Bun.CryptoHasher("sha256").update(MODEL).digest("hex");
const STATUSES = [401, 403, 404, 410] as const;
const NAMES = [...STATUSES.map((s) => `next-${s}`), "server-error", "other-bytes", "other-size", "all-missing", "gated"];

let hf: HfStandin;
let app: RunningApp;
let dir: string;
let follower: DownloadFollower;

/** One catalogue entry whose one file has these sources (`gated` marks a source as gated). */
const entry = (id: string, sources: string[], opts: { needsAccount?: boolean } = {}) => `
  - id: ${id}
    title: ${id}
    family: sd1
    description: A LoRA.
    licence: MIT
    licenceUrl: "{hf}/x"
    memory: { vramGb: 0, ramGb: 1 }
    needsAccount: ${!!opts.needsAccount}
    files:
      - kind: lora
        name: ${id}.safetensors
        size: ${MODEL.length}
        sha256: ${SHA}
        sources:${sources.map((s) => `\n          - ${s.startsWith("gated:") ? `{ url: "{hf}/${s.slice(6)}/resolve/main/${id}.safetensors", gated: true }` : `"{hf}/${s}/resolve/main/${id}.safetensors"`}`).join("")}
    set: { model: ${id}.safetensors }`;

beforeAll(async () => {
  hf = hfStandin(Object.fromEntries(NAMES.map((n) => [`${n}.safetensors`, MODEL])), {
    ...Object.fromEntries(STATUSES.map((s) => [`gone/s${s}`, s])),
    "broken/s500": 500,
    "mirror/other-bytes": "other-bytes",
    "mirror/other-size": "other-size",
    "gone/a": 404,
    "gone/b": 404,
    "bfl/gated": "gated",
    "open/mirror": "open",
  });
  dir = mkdtempSync(join(tmpdir(), "ed-source-fallback-"));
  writeFileSync(join(dir, "config.yaml"), `ui:\n  open_window: false\nmodels:\n  civitai_lookup: false\n  huggingface_base: ${hf.base}\n`);
  const catalogText = `entries:${[
    ...STATUSES.map((s) => entry(`next-${s}`, [`gone/s${s}`, "open/mirror"])),
    entry("server-error", ["broken/s500", "open/mirror"]),
    entry("other-bytes", ["mirror/other-bytes", "open/mirror"]),
    entry("other-size", ["mirror/other-size", "open/mirror"]),
    entry("all-missing", ["gone/a", "gone/b"]),
    entry("gated", ["gated:bfl/gated"], { needsAccount: true }),
  ].join("")}\n`;
  app = await startApp({
    run: { server: true, noOpen: true, dataDir: dir, port: 20000 + Math.floor(Math.random() * 30000) },
    env: { ...readEnv({}), edHome: undefined },
    services: [modelsNetService({ catalogText, machine: async () => ({ gpu: false, vramGb: 0, ramGb: 16 }), retries: 1, backoffMs: 1 })],
    log: silentLogger,
  });
  follower = followDownloads(app);
});
afterAll(async () => {
  await app.stop();
  hf.stop();
  rmSync(dir, { recursive: true, force: true });
});

const downloadEntry = async (id: string) => {
  const res = await follower.post("/api/models/download", { catalog: id });
  expect(res.status).toBe(202);
  const { ids } = (await res.json()) as { ids: string[] };
  return follower.finished(ids[0]!);
};
const installed = (name: string) => existsSync(join(dir, "models", "lora", name));

describe("sources tried in order", () => {
  for (const status of STATUSES)
    test(`HTTP ${status} from the first source: the second one is used, and progress names it`, async () => {
      const end = await downloadEntry(`next-${status}`);
      expect(end.phase).toBe("installed");
      expect(end.source).toBe("open/mirror");
      expect(installed(`next-${status}.safetensors`)).toBe(true);
      const file = `next-${status}.safetensors`;
      expect(hf.asked(`gone/s${status}`, file).map((r) => r.method)).toEqual(["GET"]);
      expect(hf.asked("open/mirror", file).filter((r) => r.method === "GET").length).toBeGreaterThan(0);
    });

  test("a 500 is retried on the same source and then fails; the next source is never asked", async () => {
    const end = await downloadEntry("server-error");
    expect(end.phase).toBe("failed");
    expect(end.error?.code).toBe("download_failed");
    expect(hf.asked("broken/s500", "server-error.safetensors").length).toBe(2);
    expect(hf.asked("open/mirror", "server-error.safetensors")).toEqual([]);
    expect(installed("server-error.safetensors")).toBe(false);
  });

  test("a source serving other bytes than the recorded sha256 fails verification; it does not fall through to a later source", async () => {
    const end = await downloadEntry("other-bytes");
    expect(end.phase).toBe("failed");
    expect(end.error?.code).toBe("verify_failed");
    expect(end.error?.message).toContain("sha256 mismatch");
    expect(hf.asked("open/mirror", "other-bytes.safetensors")).toEqual([]);
    expect(installed("other-bytes.safetensors")).toBe(false);
  });

  test("a source naming another size than the recorded one is refused before the download; no later source either", async () => {
    const end = await downloadEntry("other-size");
    expect(end.phase).toBe("failed");
    expect(end.error?.code).toBe("verify_failed");
    expect(end.error?.message).toContain(`but ${MODEL.length} were expected`);
    expect(hf.asked("open/mirror", "other-size.safetensors")).toEqual([]);
    expect(installed("other-size.safetensors")).toBe(false);
  });

  test("when every source is missing, the last one's answer is the failure", async () => {
    const end = await downloadEntry("all-missing");
    expect(end.phase).toBe("failed");
    expect(end.error?.code).toBe("not_found");
    expect(end.source).toBe("gone/b");
    expect(hf.asked("gone/a", "all-missing.safetensors").length).toBe(1);
  });
});

describe("a file only a gated repository has", () => {
  test("the catalogue names it with the page to accept the licence on, says no token is set, and does not recommend it", async () => {
    const body = (await (await fetch(new URL("/api/models/catalog", app.url))).json()) as { entries: { id: string; gated: { name: string; page: string }[] }[]; tokenSet: boolean; recommended: { id: string; reason: string } };
    expect(body.tokenSet).toBe(false);
    expect(body.entries.find((e) => e.id === "gated")!.gated).toEqual([{ name: "gated.safetensors", page: `${hf.base}/bfl/gated` }]);
    expect(body.entries.find((e) => e.id === "next-401")!.gated).toEqual([]);
    expect(body.recommended.id).not.toBe("gated");
  });

  test("without a token the download fails saying a token is needed; with one it downloads", async () => {
    const refused = await downloadEntry("gated");
    expect(refused.phase).toBe("failed");
    expect(refused.error?.code).toBe("needs_token");
    app.ctx.config.update({ models: { huggingface_token: "hf_ok" } });
    const body = (await (await fetch(new URL("/api/models/catalog", app.url))).json()) as { tokenSet: boolean };
    expect(body.tokenSet).toBe(true);
    follower.events.length = 0;
    const end = await downloadEntry("gated");
    expect(end.phase).toBe("installed");
    expect(installed("gated.safetensors")).toBe(true);
    expect(hf.asked("bfl/gated", "gated.safetensors").filter((r) => r.path.includes("/resolve/")).map((r) => r.auth)).toEqual([null, "Bearer hf_ok"]);
  });
});
