/**
 * /api/rpc: the RPC workers this computer's engine uses.
 *   GET    /workers           → {workers: [{address, addedAt, state, reason?, rpc?, devices}], engine: {build, rpc}} (never a token)
 *   POST   /workers {address, token} → 201 the worker's status, after it answered the token with this
 *                               engine's ggml RPC version; 400 rpc_bad_worker, 422 rpc_worker_refused,
 *                               422 rpc_worker_unreachable, 409 rpc_version_mismatch (a sentence naming both versions)
 *   DELETE /workers/:address  → {removed: address}; 404 rpc_worker_not_found
 *   GET    /devices           → {devices: [{name: "RPC0", description, memory: {free, total}, worker}]}
 * Adding and removing are this computer's (launcher/access/route-roles.ts); other devices may read.
 */
import { Hono } from "hono";
import { z } from "zod";
import { readJson } from "../core/server/errors";
import type { InstalledBuild } from "../engine/types";
import type { RpcCoordinator } from "./coordinator";
import { RpcWorkerStore } from "./store";

export const addWorkerSchema = z
  .object({
    address: z.string().max(300).describe("The worker's host:port, as `easy-diffusion worker rpc` printed it"),
    token: z.string().max(200).describe("The pairing token the worker printed (stored as a secret, never sent back)"),
  })
  .strict();

export function rpcRoutes(coordinator: RpcCoordinator, engineBuild: () => InstalledBuild | undefined) {
  return new Hono()
    .get("/workers", (c) => {
      const build = engineBuild();
      return c.json({ workers: coordinator.statuses(), engine: { build: build ? `${build.tag}/${build.variant}` : null, rpc: build?.rpc ?? null } });
    })
    .post("/workers", async (c) => {
      const body = await readJson(c, addWorkerSchema);
      const { address, token } = RpcWorkerStore.check(body.address, body.token);
      return c.json(await coordinator.add(address, token), 201);
    })
    .delete("/workers/:address", async (c) => {
      const address = c.req.param("address");
      await coordinator.remove(address);
      return c.json({ removed: address });
    })
    .get("/devices", async (c) => c.json({ devices: await coordinator.devices() }));
}
