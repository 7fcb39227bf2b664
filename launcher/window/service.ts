import { Hono } from "hono";
import type { Service } from "../services";
import type { AppContext } from "../server/context";

/**
 * `POST /api/window/focus`: a second launch asks the running app to come
 * forward. The window (if any) listens for `window.focus` on the bus.
 */
export function windowService(ctx: AppContext): Service {
  return {
    name: "window",
    routes: {
      "/window": new Hono().post("/focus", (c) => {
        ctx.bus.publish("window.focus", {});
        return c.json({ ok: true });
      }),
    },
  };
}
