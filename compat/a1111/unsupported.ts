/**
 * A1111 routes for what this app does not do, each a clear 4xx in A1111's
 * error shape instead of a 404 "Not Found" (modules/api/api.py):
 * - `interrogate`: no CLIP/DeepDanbooru interrogator; A1111 answers an unknown
 *   interrogator model with 404 "Model not found", so the same here, with why;
 * - `create/embedding`, `create/hypernetwork`, `train/embedding`,
 *   `train/hypernetwork`: no training (400);
 * - `server-kill`, `server-restart`, `server-stop`: A1111 has them only when
 *   started with --api-server-stop; this app is stopped from its window (403).
 */
import { A1111HttpError, a1111App } from "./errors";

const NO_TRAINING = "Easy Diffusion does not create or train embeddings and hypernetworks (the engine only uses them)";

export function unsupportedRoutes() {
  const fail = (status: 400 | 403 | 404, detail: string) => () => {
    throw new A1111HttpError(status, detail);
  };
  return a1111App()
    .post("/interrogate", fail(404, "Model not found: Easy Diffusion has no interrogator (clip, deepdanbooru)"))
    .post("/create/embedding", fail(400, NO_TRAINING))
    .post("/create/hypernetwork", fail(400, NO_TRAINING))
    .post("/train/embedding", fail(400, NO_TRAINING))
    .post("/train/hypernetwork", fail(400, NO_TRAINING))
    .post("/server-kill", fail(403, "the server is not stopped through the API: quit Easy Diffusion on the computer running it"))
    .post("/server-restart", fail(403, "the server is not restarted through the API: restart Easy Diffusion on the computer running it"))
    .post("/server-stop", fail(403, "the server is not stopped through the API: quit Easy Diffusion on the computer running it"));
}
