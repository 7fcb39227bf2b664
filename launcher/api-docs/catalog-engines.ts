/** The engines of this computer, one per GPU (engine/pool/routes.ts), as documented routes. */
import { z } from "zod";
import { doc, type RouteDoc } from "./route-doc";

const E = "Engine";
const any = z.record(z.string(), z.unknown());
const engine = {
  id: "engine:CUDA1",
  label: "CUDA1 · NVIDIA GeForce RTX 4090",
  mode: "throughput",
  devices: [{ name: "CUDA1", description: "NVIDIA GeForce RTX 4090", memoryBytes: 25757220864 }],
  state: "busy",
  port: 40213,
  model: "sd15.safetensors",
  task: "tmx1abc",
  paused: false,
  memoryBytes: 25757220864,
};
const ok = (example: unknown) => ({ status: 200, schema: any, example });
const one = (action: string, summary: string) =>
  doc(`post /api/engine/engines/{id}/${action}`, E, {
    summary,
    params: ["id"],
    description: "404 `engine_not_found` for an id GET /api/engine/engines does not list.",
    response: ok({ ...engine, ...(action === "pause" ? { paused: true } : {}) }),
  });

export const engineRoutes: RouteDoc[] = [
  doc("get /api/engine/engines", E, {
    summary: "The engines of this computer: one per GPU (engine.devices), and one split over them for models too big for one",
    description:
      "mode `single` (one engine, as with one GPU), `throughput` (one engine per GPU, pinned with --backend, each on its own port) or " +
      "`split` (one engine over several GPUs: layer split, row split on CUDA); `task` is the queue task it runs. Also as `engines` in GET /api/engine " +
      "and the `engine.pool` event.",
    response: ok({ engines: [{ ...engine, id: "engine", label: "CUDA0 · NVIDIA GeForce RTX 4090", task: null, state: "ready" }, engine] }),
  }),
  doc("get /api/engine/engines/{id}/logs", E, {
    summary: "One engine's recent log lines (its own log file: logs/engine-CUDA1.log)",
    params: ["id"],
    description: "`?lines=N` for the last N (400 `bad_request` unless a positive whole number); 404 `engine_not_found`.",
    response: ok({ lines: ["[INFO ] stable-diffusion.cpp:908 - Version: SD 1.x"] }),
  }),
  one("pause", "Pause one engine: it takes no new task (its running task goes on)"),
  one("resume", "Resume one engine"),
  one("restart", "Restart one engine's sd-server with the same model set"),
  one("stop", "Stop one engine's sd-server (the next task on it starts it)"),
];
