/**
 * The app's own routes under /api as documented routes. Request bodies are
 * the schemas the routes validate with (common/image-request.ts, the config patch,
 * …); answers are described here, each with an example.
 */
import { z } from "zod";
import { configPatchSchema } from "../../core/config/schema";
import { uiStateSchema } from "../server/routes/ui-state";
import { buildSchema, importSchema, installSchema } from "../../engine/routes";
import { queuePatchSchema } from "../../queue/routes/queue";
import { upscaleBodySchema } from "../../upscale/routes/upscale";
import { imageRequestFields } from "../../common/image-request";
import { installFromUrlSchema, pluginErrorSchema, pluginInfoSchema, pluginListSchema, pluginPatchSchema } from "../../plugins/schemas";
import { paintedSchema } from "../window/service";
import { doc, type RouteDoc } from "./route-doc";

const Q = "Queue and images";
const S = "App";
const E = "Engine";
const any = z.record(z.string(), z.unknown());
const ok = (example: unknown, schema: z.ZodType = any) => ({ status: 200, schema, example });
const taskRequest = imageRequestFields.extend({ incognito: z.boolean().optional().describe("Keep the task and its pictures in memory only") });
const taskExample = {
  prompt: "a lighthouse at dusk <lora:detail:0.8>",
  negative_prompt: "blurry",
  model: "sd15.safetensors",
  steps: 20,
  width: 512,
  height: 512,
  seed: "random",
  sampler: "euler_a",
  speed: "fast",
};
const taskView = {
  id: "tmx1abc",
  kind: "image",
  state: "succeeded",
  incognito: false,
  created: 1767225600000,
  progress: { step: 20, steps: 20, rate: 4.1, eta: 0 },
  images: [{ id: "imx1abc", url: "/api/images/imx1abc", seed: 42, width: 512, height: 512, format: "png" }],
  request: taskExample,
  // How it ran: the step caching and what the engine reused; memory: a retry at lower GPU memory use; worker: another computer made it.
  notes: {
    speed: { mode: "ucache", option: "threshold=1.5", report: { method: "UCache", skipped: 9, total: 20 }, reused: "9 of 20 steps reused, ×1.8" },
    memory: { level: "low", retriedFrom: "auto", note: "Out of GPU memory: ran with Low memory use" },
    worker: { id: "w1a2b3c4d5e6f", name: "studio-pc" },
  },
};
const status = { running: 1, total: 3, paused: false };

export const appRoutes: RouteDoc[] = [
  doc("get /api/health", S, { summary: "Liveness", response: ok({ ok: true }) }),
  doc("get /api/version", S, {
    summary: "Version and build facts",
    response: ok({ name: "Easy Diffusion", version: "4.0.0", runtime: "bun 1.3", platform: "linux", arch: "x64" }),
  }),
  doc("get /api/config", S, {
    summary:
      "The settings (config.yaml), any problems found in it, and the settings running with another value (`running`: " +
      "the port when the configured one was taken, the address when other devices are allowed)",
    response: ok({
      config: { server: { port: 9000 } },
      problems: [],
      running: { "server.port": { value: 9001, note: "running on port 9001: 9000 was taken" } },
    }),
  }),
  doc("get /api/config/schema", S, {
    summary: "JSON Schema of the settings (the Settings tab renders it)",
    response: ok({ type: "object" }),
  }),
  doc("patch /api/config", S, {
    summary: "Change some settings (keeps comments in config.yaml)",
    body: { schema: configPatchSchema(), example: { outputs: { format: "webp" } } },
    response: ok({ config: { outputs: { format: "webp" } } }),
  }),
  doc("get /api/events", S, {
    summary: "Server-sent events: task.*, queue.status, engine.*, downloads",
    response: {
      status: 200,
      type: "text/event-stream",
      example: 'event: task.progress\ndata: {"id":"tmx1abc","phase":"sampling","step":3,"steps":20}\n\n',
    },
  }),
  doc("get /api/ui-state", S, {
    summary: "Open tabs and their state",
    response: ok({ tabs: [{ id: "t1", app: "image" }], active: "t1" }, uiStateSchema),
  }),
  doc("put /api/ui-state", S, {
    summary: "Save open tabs and their state",
    body: { schema: uiStateSchema, example: { tabs: [{ id: "t1", app: "image" }], active: "t1" } },
    response: ok({ ok: true }),
  }),
  doc("get /api/lan", S, { summary: "Whether other devices may connect, and how", response: ok({ enabled: false }) }),
  doc("get /api/session", S, {
    summary:
      "This device's role: owner (this computer) or guest (another device with the token), the settings a guest may change, whether guests may download models",
    response: ok({
      role: "guest",
      guest_settings: ["ui.theme", "ui.font_size", "ui.notify_when_done", "ui.sound_when_done", "ui.newest_first"],
      guest_downloads: false,
      owner_only: "Only the computer running Easy Diffusion can do this: it changes that computer.",
    }),
  }),
  doc("post /api/lan/token", S, { summary: "Make a new access token for other devices", response: ok({ token: "…" }) }),
  doc("post /api/tasks", Q, {
    summary: "Queue an image task",
    description:
      "Pictures in the request (init_image, mask, control_image, ref_images) over 8192×8192 pixels (read from their headers): 422 `image_too_large`, " +
      "naming the field. JSON nested deeper than 64 levels: 400 `json_too_deep`.",
    body: { schema: taskRequest, example: taskExample },
    response: { status: 202, schema: z.object({ id: z.string(), seed: z.number() }), example: { id: "tmx1abc", seed: 1234 } },
  }),
  doc("get /api/tasks", Q, {
    summary: "Running and queued tasks in order, then history",
    query: [{ name: "limit", description: "history length (1–500, default 100)" }],
    response: ok({ tasks: [taskView], status }),
  }),
  doc("get /api/tasks/{id}", Q, {
    summary: "One task with its progress and pictures",
    params: ["id"],
    query: [{ name: "images", description: "1: keep image data in request" }],
    response: ok(taskView),
  }),
  doc("post /api/tasks/{id}/cancel", Q, {
    summary: "Cancel a task (a running one restarts the engine)",
    params: ["id"],
    response: ok({ ...taskView, state: "cancelled", engineRestarted: true, message: "The task was stopped by restarting the engine" }),
  }),
  doc("post /api/upscale", Q, {
    summary: "Queue an upscale of one picture (output image_id or uploaded image) ×2/×4 with an ESRGAN model through sd-cli",
    description:
      "An upload whose metadata inflates past 4 MB per chunk or 8 MB in all: 422 `metadata_too_large`; " +
      "a picture over 8192×8192 pixels: 422 `image_too_large` (both before anything is decoded).",
    body: { schema: upscaleBodySchema, example: { image_id: "imx1abc", factor: 4, model: "RealESRGAN_x4plus.safetensors" } },
    response: { status: 202, schema: z.object({ id: z.string() }), example: { id: "tmx3ghi" } },
  }),
  doc("post /api/tasks/{id}/retry", Q, {
    summary: "Queue the same request again (same seed)",
    params: ["id"],
    response: { status: 202, schema: any, example: { id: "tmx2def", seed: 1234, retryOf: "tmx1abc" } },
  }),
  doc("get /api/queue", Q, { summary: "Queue status", response: ok(status) }),
  doc("patch /api/queue", Q, {
    summary: "Reorder, pause or resume the queue",
    body: { schema: queuePatchSchema, example: { order: ["tmx2def", "tmx1abc"], paused: false } },
    response: ok({ ...status, order: ["tmx2def", "tmx1abc"] }),
  }),
  doc("get /api/images/{id}", Q, {
    summary: "A picture's bytes",
    description:
      "Served only when the file, opened now, lies inside the outputs folder (403 `forbidden`) and its bytes are the picture its record says " +
      "(422 `not_a_picture`). Cross-Origin-Resource-Policy: same-origin.",
    params: ["id"],
    response: { status: 200, type: "image/png", example: "(PNG bytes)" },
  }),
  doc("post /api/metadata/parse", Q, {
    summary: "The generation settings stored in a picture (or in a video of ours)",
    description:
      "Text chunks (zTXt/iTXt) that inflate past 4 MB each or 8 MB in all: 422 `metadata_too_large`, in milliseconds (the inflate stops at the limit). " +
      "A video the app made answers too: an animated WebP from its XMP, as any WebP; a WebM (`video/webm` or raw bytes) from its Matroska tags, " +
      '`format: "webm"` (a Tags element over 4 MB: 422 `metadata_too_large`).',
    body: { schema: z.object({ image: z.string() }), example: { image: "data:image/png;base64,iVBORw0KGgo…" } },
    response: ok({ format: "png", source: "a1111", settings: { prompt: "a cat", steps: 20 }, parameters: "a cat\nSteps: 20, …" }),
  }),
  doc("get /api/models", "Models", {
    summary: "Every model file: kind, family, size, precision, hash, usable or why not; usable names by kind; the model roots; the last used set",
    response: ok({
      models: [{ kind: "stable-diffusion", name: "sd15.safetensors", family: "sd1", usable: true }],
      kinds: { "stable-diffusion": ["sd15.safetensors"], lora: ["detail.safetensors"] },
      roots: [],
      lastUsed: null,
      scanning: false,
    }),
  }),
  doc("post /api/window/focus", S, {
    summary: "Bring the app window forward (a second launch asks this)",
    response: ok({ ok: true }),
  }),
  doc("post /api/window/painted", S, {
    summary: "The UI's first paint time (for the start-up benchmark)",
    body: { schema: paintedSchema, example: { t: 182.4 } },
    response: ok({ ok: true }),
  }),
  doc("get /api/openapi.json", S, {
    summary: "This document (OpenAPI 3.1)",
    response: ok({ openapi: "3.1.0", info: { title: "Easy Diffusion API" }, paths: {} }),
  }),
  doc("get /api/docs", S, {
    summary: "The API reference page (this document, readable)",
    response: { status: 200, type: "text/html", example: "<!doctype html>…" },
  }),
  doc("get /api/plugins", "Plugins", {
    summary: "Installed UI plugins, enabled or not, with their last error",
    response: ok(pluginListSchema.meta()?.example, pluginListSchema),
  }),
  doc("get /api/plugins/{file}", "Plugins", {
    summary: "A plugin's source (an ES module)",
    params: ["file"],
    response: { status: 200, type: "text/javascript", example: "export default function (ed) { … }" },
  }),
  doc("post /api/plugins", "Plugins", {
    summary: "Install a plugin: JSON {url} (fetched by the server) or a multipart upload (field file)",
    description:
      "A URL is fetched only over http(s), at every redirect too (400 `url_not_allowed`), never from this computer or a local network (loopback, " +
      "private, link-local, unique-local, CGNAT: 403 `address_not_allowed`, checked on each hop's resolved address), and read up to 2 MB " +
      "(413 `too_large`).",
    body: { schema: installFromUrlSchema, example: installFromUrlSchema.meta()?.example },
    response: { status: 201, schema: pluginInfoSchema, example: pluginInfoSchema.meta()?.example },
  }),
  doc("patch /api/plugins/{file}", "Plugins", {
    summary: "Enable or disable a plugin (enabling clears its error)",
    params: ["file"],
    body: { schema: pluginPatchSchema, example: { enabled: false } },
    response: ok(pluginInfoSchema.meta()?.example, pluginInfoSchema),
  }),
  doc("post /api/plugins/{file}/error", "Plugins", {
    summary: "Record the error a plugin threw (disables it)",
    params: ["file"],
    body: { schema: pluginErrorSchema, example: pluginErrorSchema.meta()?.example },
    response: ok(
      { file: "broken.plugin.js", name: "broken", enabled: false, error: "TypeError: …", size: 90, modified: 1767225600000 },
      pluginInfoSchema,
    ),
  }),
  doc("delete /api/plugins/{file}", "Plugins", {
    summary: "Remove a plugin",
    params: ["file"],
    response: ok({ removed: "hello.plugin.js" }),
  }),
  doc("get /api/engine", E, { summary: "Engine status (the first engine), and `engines`: every engine of this computer", response: ok({ state: "running" }) }),
  doc("get /api/engine/logs", E, { summary: "The engine's recent log lines", response: ok({ lines: [] }) }),
  doc("get /api/engine/plan", E, {
    summary:
      "Which build would be installed for this machine. Offline (the release cannot be read, nothing cached) with a build installed, " +
      'it is not an error: `release.offline` says "offline: can\'t check for a newer engine" and the network is asked again after a minute',
    response: ok({ variant: "vulkan" }),
  }),
  doc("get /api/engine/builds", E, { summary: "Installed engine builds", response: ok({ builds: [] }) }),
  doc("get /api/engine/devices", E, {
    summary: "The devices the installed engine sees (sd-server --list-devices): the names engine.device (→ --backend) takes",
    response: ok({
      build: "master-827-97d2990/cuda12",
      devices: [
        { name: "CUDA0", description: "NVIDIA GeForce RTX 4090" },
        { name: "CPU", description: "AMD Ryzen 9 7950X" },
      ],
    }),
  }),
  doc("post /api/engine/install", E, {
    summary: "Install (download) an engine build",
    body: { schema: installSchema, example: { variant: "vulkan" } },
    response: ok({ installed: true }),
  }),
  doc("post /api/engine/install/cancel", E, { summary: "Cancel the engine download", response: ok({ cancelled: true }) }),
  doc("post /api/engine/restart", E, { summary: "Restart the engine", response: ok({ state: "running" }) }),
  doc("post /api/engine/stop", E, { summary: "Stop the engine", response: ok({ state: "stopped" }) }),
  doc("post /api/engine/build", E, {
    summary: "Build sd-server from source for this machine (progress as engine.build events); rpc: true builds it with SD_RPC=ON",
    body: { schema: buildSchema, example: { backend: "cpu" } },
    response: { status: 202, schema: any, example: { backend: "cpu", logFile: "/home/me/.local/share/easy-diffusion/logs/engine-build-cpu.log" } },
  }),
  doc("post /api/engine/build/cancel", E, { summary: "Stop the build in progress", response: ok({ cancelled: true }) }),
  doc("get /api/engine/build", E, { summary: "The current or last build and its progress", response: ok({ running: false }) }),
  doc("get /api/engine/toolchain", E, {
    summary: "Whether CMake, a compiler and the backend's SDK are installed, with the commands to install what is missing",
    query: [{ name: "backend", description: "cpu, vulkan, cuda or rocm" }],
    response: ok({ backend: "cpu", ok: false, missing: [{ name: "cmake", command: "sudo apt install cmake" }] }),
  }),
  doc("post /api/engine/import/nonce", E, {
    summary: "A one-time confirmation for importing a build by path (asked when the user confirms)",
    response: ok({ nonce: "q3Jx…", expires_in_s: 120 }),
  }),
  doc("post /api/engine/import", E, {
    summary: "Install a local stable-diffusion.cpp build (folder path, or a zip as the body)",
    description:
      "A typed path needs confirm: true and a nonce from POST /api/engine/import/nonce (single use, 2 minutes); without one: 403 confirm_expired.",
    body: { schema: importSchema, example: { path: "/home/me/sd-build.zip", confirm: true, nonce: "q3Jx…" } },
    response: ok({ build: { tag: "local", variant: "cpu" } }),
  }),
];
