/**
 * `POST /api/models/warm {model, vae?, text_encoders?}`: start the engine with
 * these models now, so the first picture after a starter download does not
 * wait for it (202; the engine state shows on the event stream).
 */
import { Hono } from "hono";
import { ApiError, readJson } from "../../core/server/errors";
import type { WarmEngine } from "../warm";
import { SetBody } from "./sets";

export function warmRoutes(warm: () => WarmEngine | null) {
  return new Hono().post("/", async (c) => {
    const body = await readJson(c, SetBody);
    const engine = warm();
    if (!engine) throw new ApiError(503, "not_available", "there is no engine to start");
    void engine.warmWith(body);
    return c.json({ warming: true }, 202);
  });
}
