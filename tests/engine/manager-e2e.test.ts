/**
 * The real path, offline: the stand-in packed into release zips and served by
 * a GitHub-like local server; the real BuildProvider detects (a recorded
 * NVIDIA Linux machine), downloads, verifies and installs the Vulkan build;
 * it cannot load libvulkan here, so the manager has the next candidate (CPU)
 * installed and runs a job on it.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { detectHardware } from "../../engine/detect/detect";
import { recordedProbeIO } from "../../engine/detect/probe-io";
import { createBuildProvider } from "../../engine/install/provider";
import { EngineManager } from "../../engine/manager";
import type { EngineEvent } from "../../engine/types";
import { defaultConfig } from "../../core/config/schema";
import { EventBus } from "../../core/events/bus";
import { probeFixtures } from "../fixtures/probes/fixtures";
import { FAST, dummyModels, tempDir, waitFor } from "../standin/fixtures";
import { packStandinZip } from "../standin/pack";
import { readPngText } from "../standin/png";

setDefaultTimeout(60_000);
const TAG = "master-900-ccccccc";
const tmp = tempDir();
const models = dummyModels(tmp.dir);
const files = new Map<string, Uint8Array>();
let server: ReturnType<typeof Bun.serve>;
const downloads: string[] = [];

beforeAll(async () => {
  const assets = {
    [`sd-master-ccccccc-bin-Linux-Ubuntu-24.04-x86_64-vulkan.zip`]: { ...FAST, fault: "missing-library" as const },
    [`sd-master-ccccccc-bin-Linux-Ubuntu-24.04-x86_64.zip`]: FAST,
  };
  for (const [name, config] of Object.entries(assets)) {
    const zip = join(tmp.dir, name);
    await packStandinZip(zip, { workDir: join(tmp.dir, `work-${name}`), config });
    files.set(name, new Uint8Array(await Bun.file(zip).arrayBuffer()));
  }
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === `/repos/leejet/stable-diffusion.cpp/releases/tags/${TAG}`) {
        return Response.json({
          tag_name: TAG,
          assets: [...files].map(([name, bytes]) => ({
            name,
            size: bytes.length,
            digest: `sha256:${new Bun.CryptoHasher("sha256").update(bytes).digest("hex")}`,
            browser_download_url: `http://127.0.0.1:${server.port}/dl/${name}`,
          })),
        });
      }
      const file = path.startsWith("/dl/") ? files.get(path.slice(4)) : undefined;
      if (file) downloads.push(path.slice(4));
      return file ? new Response(file as Uint8Array<ArrayBuffer>) : new Response("Not Found", { status: 404 });
    },
  });
});
afterAll(() => {
  server?.stop(true);
  tmp.cleanup();
});

describe("engine manager on the real build provider", () => {
  test("download → verify → install → start; a build that cannot run falls back to the next candidate", async () => {
    const config = defaultConfig();
    Object.assign(config.engine, { api_base: `http://127.0.0.1:${server.port}`, release_tag: TAG, flash_attention: false });
    const bus = new EventBus();
    const recording = probeFixtures().find(([name]) => name === "nvidia-linux")![1].recording;
    const provider = createBuildProvider({
      config: { config },
      paths: { engines: join(tmp.dir, "engines"), downloads: join(tmp.dir, "downloads") },
      bus,
      detect: () => detectHardware(recordedProbeIO(recording)),
      download: { backoffMs: 5, retries: 1 },
    });
    const manager = new EngineManager({ provider, flags: () => config.engine, bus, supervisor: { backoffMs: 50, stopGraceMs: 2_000 } });
    const events: EngineEvent[] = [];
    manager.on((e) => events.push(e));
    try {
      const plan = await manager.plan();
      expect(plan.choice.candidates.map((c) => c.variant).slice(0, 2)).toEqual(["vulkan", "cpu"]);

      await manager.ensure(models);
      expect(manager.status()).toMatchObject({ state: "ready", variant: "cpu", version: TAG });
      expect(downloads.sort()).toEqual([...files.keys()].sort());
      const states = events.flatMap((e) => (e.type === "state" ? [e.status.state] : []));
      expect(states.slice(0, 3)).toEqual(["downloading", "installed", "starting"]);
      const fellBack = events.find((e) => e.type === "state" && e.status.error?.code === "missing_library");
      expect(fellBack?.type === "state" && fellBack.status.error?.message).toContain("libvulkan.so.1");
      expect(manager.installed().map((b) => b.variant).sort()).toEqual(["cpu", "vulkan"]);

      const id = await manager.submit({ prompt: "from a release zip", width: 64, height: 64, sample_params: { sample_steps: 2 } });
      const job = await waitFor("the job", async () => {
        const j = await manager.poll(id);
        return j.status === "completed" || j.status === "failed" ? j : undefined;
      });
      expect(job.status).toBe("completed");
      expect(readPngText(job.images![0]!.data).parameters).toStartWith("from a release zip\n");
    } finally {
      await manager.stop();
    }
  });
});
