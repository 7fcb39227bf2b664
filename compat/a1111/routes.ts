/**
 * All A1111/Forge routes, mounted at /sdapi/v1 (compat/service.ts): every
 * route of A1111's modules/api/api.py (plus the Lora extension's `loras` and
 * `refresh-loras`) answers in A1111's shape or with a clear 4xx
 * (unsupported.ts). An unknown path answers FastAPI's 404 `{"detail":"Not Found"}`.
 */
import { Hono } from "hono";
import type { CompatDeps } from "../deps";
import { extraRoutes } from "./extras";
import { upscaleRoutes } from "./upscale";
import { img2imgRoutes } from "./img2img";
import { memoryRoutes } from "./memory";
import { modelRoutes } from "./models";
import { optionsRoutes } from "./options";
import { pngInfoRoutes } from "./png-info";
import { progressRoutes } from "./progress";
import { samplerRoutes } from "./samplers";
import { txt2imgRoutes } from "./txt2img";
import { unsupportedRoutes } from "./unsupported";

export function a1111Routes(deps: CompatDeps) {
  return new Hono()
    .route("/", txt2imgRoutes(deps))
    .route("/", img2imgRoutes(deps))
    .route("/", upscaleRoutes(deps))
    .route("/", progressRoutes(deps))
    .route("/", modelRoutes(deps))
    .route("/", samplerRoutes())
    .route("/", optionsRoutes(deps))
    .route("/", pngInfoRoutes())
    .route("/", memoryRoutes())
    .route("/", extraRoutes(deps))
    .route("/", unsupportedRoutes())
    .all("*", (c) => c.json({ detail: "Not Found" }, 404));
}
