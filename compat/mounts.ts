/** The real compatibility sub-apps by mount path: loaded on the first compatibility request (service.ts). */
import type { Hono } from "hono";
import type { CompatDeps } from "./deps";
import { pingRoutes } from "./a1111/extras";
import { a1111Routes } from "./a1111/routes";
import { openaiRoutes } from "./openai/routes";
import type { CompatMount } from "./route-table";

export function compatMounts(deps: CompatDeps): Record<CompatMount, Hono> {
  return { "/sdapi/v1": a1111Routes(deps), "/v1": openaiRoutes(deps), "/internal": pingRoutes() };
}
