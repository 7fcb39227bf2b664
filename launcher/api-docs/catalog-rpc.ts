/** The RPC workers' routes (rpc/routes.ts) as documented routes. */
import { z } from "zod";
import { addWorkerSchema } from "../../rpc/routes";
import { doc, type RouteDoc } from "./route-doc";

const R = "RPC workers";
const any = z.record(z.string(), z.unknown());
const device = { name: "CUDA0", description: "NVIDIA GeForce RTX 3060", free: 11811160064, total: 12884901888 };
const worker = { address: "192.168.1.20:50052", addedAt: "2026-12-07T08:00:00.000Z", state: "ready", rpc: "5.0.1", devices: [device] };

export const rpcRoutes: RouteDoc[] = [
  doc("get /api/rpc/workers", R, {
    summary: "The RPC workers this computer's engine uses (never their tokens), and whether the engine can use them",
    description: "state: connecting, ready, refused, mismatch (another ggml RPC version), unreachable, gone (went away during a task).",
    response: { status: 200, schema: any, example: { workers: [worker], engine: { build: "master-827-97d2990/built-cuda-rpc", rpc: "5.0.1" } } },
  }),
  doc("post /api/rpc/workers", R, {
    summary: "Add an RPC worker (`easy-diffusion worker rpc` on the other computer shows its address and pairing token)",
    description:
      "The worker must answer the pairing token (challenge–response, HMAC-SHA256) with this engine's ggml RPC version. " +
      "400 rpc_bad_worker, 422 rpc_worker_refused (wrong token), 422 rpc_worker_unreachable, 409 rpc_version_mismatch. " +
      "The token is stored owner-only and never sent back. Authenticated, not encrypted: LAN only.",
    body: { schema: addWorkerSchema, example: { address: "192.168.1.20:50052", token: "pQ3…(43 characters)" } },
    response: { status: 201, schema: any, example: worker },
  }),
  doc("delete /api/rpc/workers/{address}", R, {
    summary: "Remove an RPC worker (the engine starts without it on the next task)",
    params: ["address"],
    response: { status: 200, schema: any, example: { removed: "192.168.1.20:50052" } },
  }),
  doc("get /api/rpc/devices", R, {
    summary: "The RPC workers' devices as the engine names them (RPC0, RPC1, …), with memory asked of each worker",
    response: {
      status: 200,
      schema: any,
      example: {
        devices: [
          {
            name: "RPC0",
            description: "CUDA0 NVIDIA GeForce RTX 3060 on 192.168.1.20:50052",
            memory: { free: 11811160064, total: 12884901888 },
            worker: "192.168.1.20:50052",
          },
        ],
      },
    },
  }),
];
