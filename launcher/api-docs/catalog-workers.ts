/** Other computers as workers (workers/routes.ts) as documented routes. */
import { z } from "zod";
import { addWorkerSchema, workersPatchSchema } from "../../workers/routes";
import { doc, type RouteDoc } from "./route-doc";

const W = "Workers";
const any = z.record(z.string(), z.unknown());
const worker = {
  id: "w3f9c2a1b7e04",
  name: "studio-pc",
  url: "http://192.168.1.20:9000",
  added: 1765090000000,
  state: "ready",
  models: 12,
  checked: 1765090005000,
};

export const workerRoutes: RouteDoc[] = [
  doc("get /api/workers", W, {
    summary: "The other computers working for this one, with their state (never their tokens)",
    description:
      "`state`: checking, ready, busy (with `task`), refused (it answered 401, 403 or 5xx: `reason` says which and why) or unreachable. " +
      "`download_missing`: workers may download model files a task needs from the starter catalogue's sources.",
    response: { status: 200, schema: any, example: { download_missing: false, workers: [worker] } },
  }),
  doc("post /api/workers", W, {
    summary: "Add a computer as a worker: its login link (Settings → Other devices there, or its QR code), or its address and token",
    description:
      "Checked at once; the answer is the worker as listed. The same address again: 200, its new token replaces the old " +
      "(the token was made anew there). 400 `bad_worker_link`.",
    body: { schema: addWorkerSchema, example: { link: "http://192.168.1.20:9000/login?token=…", name: "studio-pc" } },
    response: { status: 201, schema: any, example: worker },
  }),
  doc("patch /api/workers", W, {
    summary: "Let workers download missing model files (from the starter catalogue's sources), or not",
    body: { schema: workersPatchSchema, example: { download_missing: true } },
    response: { status: 200, schema: any, example: { download_missing: true, workers: [worker] } },
  }),
  doc("post /api/workers/{id}/check", W, {
    summary: "Check a worker now (its session and models)",
    params: ["id"],
    response: { status: 200, schema: any, example: worker },
  }),
  doc("delete /api/workers/{id}", W, {
    summary: "Remove a worker: no new tasks go there (a task it runs finishes there)",
    params: ["id"],
    response: { status: 200, schema: any, example: { removed: worker.id } },
  }),
];
