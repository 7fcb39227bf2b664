/**
 * `/api/engine`: the engine's state, its log, and the Engine tab's buttons.
 *   GET  /          → {state, variant, version, port, error?, engines?}: the first engine, and every engine (pool/routes.ts)
 *   GET  /logs      → {lines}  (?lines=N for the last N)
 *   GET  /plan      → detected hardware, release, candidates with reasons
 *   GET  /builds    → installed builds
 *   GET  /devices   → {build, devices: [{name, description, memory?, worker?}], problem?}: `sd-server --list-devices` of the
 *                     preferred build, then RPC workers' devices (RPC0, …) with the memory each worker reports (engine/extension.ts)
 *   POST /install   → installs (downloads) the best build if none is installed;
 *                     {variant?, force?} installs that one / reinstalls, and moves a running engine onto it
 *   POST /install/cancel → stops the engine download in progress: {cancelled}
 *   POST /restart   → restarts sd-server with the same model set
 *   POST /stop      → stops sd-server
 *   POST /import    → installs a local build and runs it: the body is a zip the user
 *                     chose in the UI (application/zip, ?name=file.zip), or JSON
 *                     {path, confirm: true, nonce} naming a folder or zip, where the nonce
 *                     comes from POST /import/nonce when the user confirmed (single use,
 *                     2 minutes): a build is a program the app will run. Owner only.
 *   POST /import/nonce → {nonce, expires_in_s}
 *   POST /build     → starts building sd-server from source: {backend?, rpc?} → 202 {backend, logFile};
 *                     progress as "engine.build" events; 409 build_running while one runs
 *   POST /build/cancel → stops the build in progress: {cancelled}
 *   GET  /build     → {running, progress?} of the current or last build; progress.phase "waiting"
 *                     (with progress.toolchain) while the app's automatic build lacks tools
 *   GET  /toolchain?backend= → what building needs here and the command installing what is missing
 */
import { Hono } from "hono";
import { mkdirSync, mkdtempSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { OneTimeNonces } from "../core/server/nonces";
import { ApiError, mediaType, readJson } from "../core/server/errors";
import type { EngineManager } from "./manager";
import type { EngineDevices } from "./devices";
import type { EnginePool } from "./pool/pool";
import { poolRoutes } from "./pool/routes";
import type { InstalledBuild } from "./types";
import { BUILD_BACKENDS, type BuildBackend } from "./build/cmake-flags";
import { removeTree } from "../core/files/remove-tree";

export const buildSchema = z
  .object({
    backend: z.enum(BUILD_BACKENDS as [BuildBackend, ...BuildBackend[]]).optional().describe("Backend to build: cpu, vulkan, cuda or rocm"),
    rpc: z.boolean().optional().describe("Build with SD_RPC=ON, so the engine can use RPC workers (installed as built-<backend>-rpc)"),
  })
  .strict();

function backendParam(raw: string | undefined): BuildBackend {
  const backend = (raw ?? "cpu") as BuildBackend;
  if (!BUILD_BACKENDS.includes(backend)) throw new ApiError(400, "bad_backend", `backend must be one of ${BUILD_BACKENDS.join(", ")}`);
  return backend;
}

export const importSchema = z
  .object({
    path: z.string().min(1).describe("A folder or zip holding sd-server"),
    confirm: z.boolean().optional().describe("The user confirmed running the program in that folder"),
    nonce: z.string().max(100).optional().describe("From POST /api/engine/import/nonce, asked for when the user confirmed; single use"),
  })
  .strict();

const ZIP_TYPES = ["application/zip", "application/x-zip-compressed", "application/octet-stream"];

/** The uploaded zip's own name, made safe for a file name (it names the imported build). */
function uploadName(raw: string | undefined): string {
  const base = (raw ?? "").split(/[\\/]/).pop()!.replace(/[^\w.-]+/g, "-").replace(/^[-.]+/, "");
  return /\.zip$/i.test(base) ? base : `${base || "build"}.zip`;
}

/** Writes the request body to a private temporary folder under `dir`; returns the file. */
async function saveUpload(body: ReadableStream<Uint8Array> | null, dir: string, name: string): Promise<string> {
  if (!body) throw new ApiError(400, "empty_upload", "send the zip file as the request body");
  mkdirSync(dir, { recursive: true });
  const file = join(mkdtempSync(join(dir, ".import-")), name);
  await Bun.write(file, new Response(body));
  return file;
}
export const installSchema = z
  .object({
    variant: z.string().min(1).optional().describe("Build variant to install, e.g. vulkan, cpu, cuda12"),
    force: z.boolean().optional().describe("Reinstall even if installed"),
  })
  .strict();

/** rpc: the ggml RPC version of a build made with SD_RPC=ON (it can use RPC workers), else null. */
const describeBuild = (b: InstalledBuild) => ({ tag: b.tag, variant: b.variant, backend: b.backend, dir: b.dir, rpc: b.rpc ?? null });

export function engineRoutes(manager: EngineManager, opts: { uploads: string; nonces?: OneTimeNonces; devices?: EngineDevices; pool?: EnginePool }) {
  const nonces = opts.nonces ?? new OneTimeNonces();
  return new Hono()
    // The first engine's status, and with a pool every engine of this computer (one per GPU).
    .get("/", (c) => c.json(opts.pool ? { ...manager.status(), engines: opts.pool.view() } : manager.status()))
    .route("/engines", poolRoutes(opts.pool ?? null))
    // The devices the installed engine sees (`sd-server --list-devices`): the names Settings → Engine → Device takes.
    .get("/devices", async (c) => c.json((await opts.devices?.report()) ?? { build: null, devices: [] }))
    .get("/logs", (c) => {
      const raw = c.req.query("lines");
      const lines = raw === undefined ? undefined : Number(raw);
      if (lines !== undefined && (!Number.isInteger(lines) || lines < 1)) throw new ApiError(400, "bad_request", "lines must be a positive whole number");
      return c.json({ lines: manager.logs(lines) });
    })
    .get("/plan", async (c) => c.json(await manager.plan()))
    .get("/builds", (c) => c.json({ builds: manager.installed().map(describeBuild) }))
    .post("/install", async (c) => {
      // The body is optional: an empty POST installs the best build.
      const body = await readJson(c, installSchema, { optional: true });
      const builds = await manager.install(body);
      return c.json({ ...manager.status(), builds: builds.map(describeBuild) });
    })
    .post("/install/cancel", (c) => c.json({ cancelled: manager.cancelDownload() }))
    .post("/restart", async (c) => {
      await manager.restart();
      return c.json(manager.status());
    })
    .post("/stop", async (c) => {
      await manager.stop();
      return c.json(manager.status());
    })
    .post("/build", async (c) => {
      const body = await readJson(c, buildSchema, { optional: true });
      const started = await manager.startBuild(body?.backend, body?.rpc);
      return c.json({ backend: started.backend, logFile: started.logFile }, 202);
    })
    .post("/build/cancel", (c) => c.json({ cancelled: manager.builder().cancel() }))
    .get("/build", (c) => c.json(manager.builder().status()))
    .get("/toolchain", (c) => c.json(manager.builder().toolchain(backendParam(c.req.query("backend")))))
    .post("/import/nonce", (c) => c.json(nonces.issue()))
    .post("/import", async (c) => {
      const type = mediaType(c.req.header("content-type"));
      // A path that is missing or holds no working sd-server is the caller's to fix: 400 (engine/install/import.ts).
      const run = async (path: string) => {
        const build = await manager.importBuild(path);
        return c.json({ build: describeBuild(build), status: manager.status() });
      };
      if (ZIP_TYPES.includes(type)) {
        const zip = await saveUpload(c.req.raw.body, opts.uploads, uploadName(c.req.query("name")));
        try {
          return await run(zip);
        } finally {
          removeTree(dirname(zip));
        }
      }
      const { path, confirm, nonce } = await readJson(c, importSchema);
      // A path makes the app run a program from anywhere on disk: only after the user confirmed it in the
      // app's page, proved by a nonce that page got from the server (headers a script sets prove nothing).
      if (confirm !== true)
        throw new ApiError(400, "confirm_required", "importing runs the sd-server program in that folder: confirm it in the Engine tab (confirm: true)");
      if (!nonces.take(nonce))
        throw new ApiError(
          403,
          "confirm_expired",
          "importing by path is confirmed in the app's Engine tab (its confirmation is used once and lasts 2 minutes); " +
            "from a terminal, run `easy-diffusion engine import <path>`",
        );
      return run(path);
    });
}
