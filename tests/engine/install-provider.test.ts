/**
 * The BuildProvider end to end against a local GitHub-like server:
 * detect (recorded machine) → release → choose → download → verify → install,
 * offline starts, imported builds, fallbacks and markGood.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZipFile } from "yazl";
import { defaultConfig, type Config } from "../../core/config/schema";
import { EventBus } from "../../core/events/bus";
import { detectHardware } from "../../engine/detect/detect";
import type { Hardware } from "../../engine/detect/hardware";
import { recordedProbeIO } from "../../engine/detect/probe-io";
import { importBuild } from "../../engine/install/import";
import { createBuildProvider } from "../../engine/install/provider";
import { probeFixtures } from "../fixtures/probes/fixtures";

const REPO = "leejet/stable-diffusion.cpp";
const root = mkdtempSync(join(tmpdir(), "ed-provider-"));
const files = new Map<string, Uint8Array<ArrayBuffer>>();
/** tag → asset names in that release */
const releases = new Map<string, string[]>();
let requests: string[] = [];
let corrupt = false;
let server: ReturnType<typeof Bun.serve>;

async function zipOf(body: string): Promise<Uint8Array<ArrayBuffer>> {
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(`#!/bin/sh\n${body}\n`), "bin/sd-server", { mode: 0o100755 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function releaseJson(tag: string) {
  return {
    tag_name: tag,
    assets: releases.get(tag)!.map((name) => ({
      name,
      size: files.get(name)!.length,
      digest: `sha256:${new Bun.CryptoHasher("sha256").update(files.get(name)!).digest("hex")}`,
      browser_download_url: `http://127.0.0.1:${server.port}/dl/${name}`,
    })),
  };
}

beforeAll(async () => {
  for (const tag of ["master-1-aaaaaaa", "master-2-bbbbbbb"]) {
    const sha = tag.slice(-7);
    const names = [`sd-master-${sha}-bin-Linux-Ubuntu-24.04-x86_64.zip`, `sd-master-${sha}-bin-Linux-Ubuntu-24.04-x86_64-vulkan.zip`, `sd-master-${sha}-bin-win-cpu-x64.zip`];
    for (const name of names) files.set(name, await zipOf(`echo ${name}`));
    releases.set(tag, names);
  }
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      requests.push(path);
      const tagMatch = /^\/repos\/leejet\/stable-diffusion\.cpp\/releases\/(?:tags\/(.+)|latest)$/.exec(path);
      if (tagMatch) {
        const tag = tagMatch[1] ?? "master-2-bbbbbbb";
        return releases.has(tag) ? Response.json(releaseJson(tag)) : Response.json({ message: "Not Found" }, { status: 404 });
      }
      const file = path.startsWith("/dl/") ? files.get(path.slice(4)) : undefined;
      if (!file) return new Response("Not Found", { status: 404 });
      if (corrupt) {
        const bad = file.slice();
        bad[bad.length >> 1]! ^= 1;
        return new Response(bad);
      }
      return new Response(file);
    },
  });
});
afterAll(() => {
  server.stop(true);
  rmSync(root, { recursive: true, force: true });
});

const machine = async (name: string): Promise<Hardware> => detectHardware(recordedProbeIO(probeFixtures().find(([n]) => n === name)![1].recording));
let n = 0;
function setup(opts: { machine?: string; engine?: Partial<Config["engine"]>; apiBase?: string } = {}) {
  const data = join(root, String(n++));
  const config = defaultConfig();
  Object.assign(config.engine, { api_base: opts.apiBase ?? `http://127.0.0.1:${server.port}`, release_repo: REPO, release_tag: "master-1-aaaaaaa" }, opts.engine);
  const bus = new EventBus();
  const paths = { engines: join(data, "engines"), downloads: join(data, "downloads") };
  const provider = createBuildProvider({ config: { config }, paths, bus, detect: () => machine(opts.machine ?? "nvidia-linux"), download: { backoffMs: 5, retries: 1 } });
  return { provider, config, bus, paths };
}

describe("createBuildProvider", () => {
  test("first start: downloads, verifies and installs the best build, with progress; then offline at once", async () => {
    const { provider, bus, paths, config } = setup();
    const phases: string[] = [];
    bus.on("download", (p) => phases.push(p.phase));
    requests = [];
    const builds = await provider.builds();
    expect(builds.map((b) => `${b.tag}/${b.variant}`)).toEqual(["master-1-aaaaaaa/vulkan"]);
    expect(Bun.spawnSync([builds[0]!.serverPath]).stdout.toString()).toBe("sd-master-aaaaaaa-bin-Linux-Ubuntu-24.04-x86_64-vulkan.zip\n");
    expect(phases.at(-1)).toBe("installed");
    expect(phases).toContain("done");
    expect(readdirSync(paths.downloads)).toEqual([]); // the zip is removed once installed
    expect(requests.filter((r) => r.startsWith("/dl/"))).toHaveLength(1);

    // Later start, no network at all: the pinned tag's cached release and the installed build.
    config.engine.api_base = "http://127.0.0.1:1";
    requests = [];
    const again = await provider.builds();
    expect(again.map((b) => b.dir)).toEqual(builds.map((b) => b.dir));
    expect(requests).toEqual([]);
  });

  test("offline on a fresh machine: a clear DownloadFailed", async () => {
    const { provider } = setup({ apiBase: "http://127.0.0.1:1" });
    const err = await provider.builds().catch((e) => e);
    expect(err.info.code).toBe("download_failed");
    expect(err.info.message).toBe("Can't reach 127.0.0.1:1 — is this computer offline?");
  });

  test("Debian 12 (glibc 2.36): GlibcTooOld with the import hint; an imported build is used instead", async () => {
    const { provider, paths, config } = setup({ machine: "debian12-cpu" });
    const err = await provider.builds().catch((e) => e);
    expect(err.info).toMatchObject({ code: "glibc_too_old", message: "this engine needs glibc 2.39, your system has 2.36" });
    expect(err.info.hint).toContain("easy-diffusion engine import");
    const dir = join(root, `own-build-${n}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "sd-server"), "#!/bin/sh\nexit 0\n");
    chmodSync(join(dir, "sd-server"), 0o755);
    const imported = await importBuild(dir, paths);
    expect((await provider.builds()).map((b) => b.dir)).toEqual([imported.dir]);
    // engine.backend naming another backend still keeps the imported build, as the last resort.
    config.engine.backend = "vulkan";
    expect((await provider.builds()).map((b) => b.dir)).toEqual([imported.dir]);
  });

  test("engine.backend = cpu installs the CPU build; install() adds the best; next() skips what is installed", async () => {
    const { provider, config } = setup({ engine: { backend: "cpu" } });
    const [cpu] = await provider.builds();
    expect(cpu!.variant).toBe("cpu");
    config.engine.backend = "auto";
    const vulkan = await provider.install();
    expect(vulkan.variant).toBe("vulkan");
    expect(await provider.next(vulkan)).toBeUndefined(); // cpu is already there
    expect((await provider.builds()).map((b) => b.variant)).toEqual(["vulkan", "cpu"]);
  });

  test("two callers at once share one download", async () => {
    const { provider } = setup();
    requests = [];
    const [a, b] = await Promise.all([provider.builds(), provider.builds()]);
    expect(a.map((x) => x.dir)).toEqual(b.map((x) => x.dir));
    expect(requests.filter((r) => r.startsWith("/dl/"))).toHaveLength(1);
    // force reinstalls
    await provider.install({ force: true });
    expect(requests.filter((r) => r.startsWith("/dl/"))).toHaveLength(2);
  });

  test("next() installs the fallback that is missing", async () => {
    const { provider } = setup();
    const [vulkan] = await provider.builds();
    const cpu = await provider.next(vulkan!);
    expect(cpu?.variant).toBe("cpu");
  });

  test("a corrupted download is never installed", async () => {
    const { provider, paths } = setup();
    corrupt = true;
    try {
      const err = await provider.builds().catch((e) => e);
      expect(err.info.code).toBe("verify_failed");
    } finally {
      corrupt = false;
    }
    expect(readdirSync(paths.engines).filter((d) => d !== "releases")).toEqual([]);
    expect(existsSync(paths.downloads) ? readdirSync(paths.downloads) : []).toEqual([]);
  });

  test("a new tag installs beside the good old build, which stays until the new one has started once", async () => {
    const { provider, config } = setup();
    const [old] = await provider.builds();
    provider.markGood(old!);
    config.engine.release_tag = "master-2-bbbbbbb";
    const builds = await provider.builds();
    expect(builds.map((b) => b.tag)).toEqual(["master-2-bbbbbbb", "master-1-aaaaaaa"]);
    provider.markGood(builds[0]!);
    expect(existsSync(old!.dir)).toBe(false);
    expect((await provider.builds()).map((b) => b.tag)).toEqual(["master-2-bbbbbbb"]);
  });

  test("plan() says what was detected, chosen and why", async () => {
    const { provider } = setup({ engine: { release_tag: "latest" } });
    const plan = await provider.plan();
    expect(plan.release).toEqual({ tag: "master-2-bbbbbbb", fromCache: false });
    expect(plan.hardware.gpus[0]!.name).toBe("NVIDIA GeForce RTX 4090");
    expect(plan.choice.candidates[0]!.reasons[0]).toContain("no Linux CUDA build");
  });
});
