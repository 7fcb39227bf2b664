/**
 * Setup for the Engine and Downloads tab tests: a GitHub-like release server
 * on 127.0.0.1 that sends the packed stand-in slowly (and can hold a download
 * half way, so its progress can be looked at), and the real app with the
 * real engine service (build provider on a recorded NVIDIA Linux machine,
 * importer, supervisor) and the queue, as launcher/wiring.ts composes them.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { detectHardware } from "../../engine/detect/detect";
import { recordedProbeIO } from "../../engine/detect/probe-io";
import { importBuild } from "../../engine/install/import";
import { createBuildProvider } from "../../engine/install/provider";
import type { EngineManager } from "../../engine/manager";
import { engineParts } from "../../engine/service";
import type { BusEvent } from "../../core/events/bus";
import type { RunningApp } from "../../launcher/start";
import { modelsService } from "../../models/service";
import { queueService } from "../../queue/service";
import { probeFixtures } from "../fixtures/probes/fixtures";
import { startImageApp } from "../ui-image/harness";

export const REPO = "leejet/stable-diffusion.cpp";

export interface ReleaseServer {
  apiBase: string;
  tag: string;
  /** Asset names, one per download request. */
  downloads: string[];
  /** The Range header of each download request ("" when none). */
  ranges: string[];
  /** The next download pauses once it has sent this share of its bytes (0..1), until resume(). */
  holdAt(fraction: number): void;
  resume(): void;
  /** Resolves once the port is closed. */
  stop(): Promise<void>;
}

/** Serves `tag` with these assets; bodies go out in `chunk`-byte pieces every `everyMs`. */
export function serveRelease(tag: string, assets: Record<string, Uint8Array>, pace = { chunk: 16 * 1024, everyMs: 40 }): ReleaseServer {
  let hold: number | undefined;
  let release: () => void = () => {};
  let held = Promise.resolve();
  const downloads: string[] = [];
  const ranges: string[] = [];
  const sha = (b: Uint8Array) => `sha256:${new Bun.CryptoHasher("sha256").update(b).digest("hex")}`;
  const server: ReturnType<typeof Bun.serve> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    fetch(req): Response {
      const path = new URL(req.url).pathname;
      if (path === `/repos/${REPO}/releases/tags/${tag}`) {
        return Response.json({
          tag_name: tag,
          assets: Object.entries(assets).map(([name, bytes]) => ({ name, size: bytes.length, digest: sha(bytes), browser_download_url: `http://127.0.0.1:${server.port}/dl/${name}` })),
        });
      }
      const name = path.startsWith("/dl/") ? decodeURIComponent(path.slice(4)) : "";
      const data = assets[name];
      if (!data) return new Response("Not Found", { status: 404 });
      downloads.push(name);
      const range = req.headers.get("range") ?? "";
      ranges.push(range);
      // Resumes like GitHub's CDN: `bytes=N-` gets the rest with 206.
      const from = Number(/^bytes=(\d+)-$/.exec(range)?.[1] ?? 0);
      const stopAt = hold === undefined ? undefined : Math.floor(data.length * hold);
      hold = undefined;
      let pos = from < data.length ? from : 0;
      const body = new ReadableStream({
        async pull(c) {
          if (pos >= data.length) return c.close();
          if (stopAt !== undefined && pos >= stopAt) await held;
          await Bun.sleep(pace.everyMs);
          const end = Math.min(data.length, pos + pace.chunk, stopAt !== undefined && pos < stopAt ? stopAt : Infinity);
          c.enqueue(data.subarray(pos, end));
          pos = end;
        },
      });
      const headers: Record<string, string> = { "content-length": String(data.length - pos), "accept-ranges": "bytes" };
      if (pos > 0) headers["content-range"] = `bytes ${pos}-${data.length - 1}/${data.length}`;
      return new Response(body, { status: pos > 0 ? 206 : 200, headers });
    },
  });
  return {
    apiBase: `http://127.0.0.1:${server.port}`,
    tag,
    downloads,
    ranges,
    holdAt(fraction) {
      hold = fraction;
      held = new Promise((r) => (release = r));
    },
    resume: () => release(),
    stop: () => server.stop(true),
  };
}

export interface EngineApp {
  app: RunningApp;
  engine: EngineManager;
  /** Every bus event since the start. */
  events: BusEvent[];
}

/** The real app with the engine service on `release` (as a recorded NVIDIA Linux machine) and the queue. */
export async function startEngineApp(dataDir: string, release: ReleaseServer, machine = "nvidia-linux"): Promise<EngineApp> {
  writeFileSync(join(dataDir, "config.yaml"), `engine:\n  api_base: ${release.apiBase}\n  release_tag: ${release.tag}\n  flash_attention: false\n`);
  const recording = probeFixtures().find(([name]) => name === machine)![1].recording;
  const parts = engineParts({
    // A long stall timeout: the tests hold downloads half way for a while.
    provider: (ctx) =>
      createBuildProvider({ config: ctx.config, paths: ctx.paths, bus: ctx.bus, log: ctx.log, detect: () => detectHardware(recordedProbeIO(recording)), download: { backoffMs: 20, retries: 2, stallMs: 120_000 } }),
    importer: (ctx) => (path) => importBuild(path, ctx.paths),
    supervisor: { backoffMs: 50, stopGraceMs: 2_000, healthIntervalMs: 500, healthTimeoutMs: 2_000, readyTimeoutMs: 20_000 },
  });
  const events: BusEvent[] = [];
  const app = await startImageApp(dataDir, [
    (ctx) => {
      ctx.bus.subscribe((e) => events.push(e));
      return { name: "recorder" };
    },
    parts.service,
    modelsService({ hashInBackground: false }),
    queueService({ engine: parts.engine }),
  ]);
  return { app, engine: parts.engine(app.ctx), events };
}
