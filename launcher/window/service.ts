import { Hono } from "hono";
import { z } from "zod";
import type { Service } from "../../core/services";
import type { AppContext } from "../../core/server/context";
import { readJson } from "../../core/server/errors";

declare module "../../core/events/bus" {
  interface EventMap {
    /** The page's first paint: `t` is its performance.now(), `at` when the server heard of it (epoch ms). */
    "window.painted": { t: number; at: number };
  }
}

export const paintedSchema = z.object({ t: z.number().finite().nonnegative() }).strict();

/**
 * `POST /api/window/focus`: a second launch asks the running app to come
 * forward; the window (if any) listens for `window.focus` on the bus.
 * `POST /api/window/painted`: the UI reports its first paint, which the
 * startup benchmark reads from the event stream.
 */
export function windowService(ctx: AppContext): Service {
  return {
    name: "window",
    routes: {
      "/window": new Hono()
        .post("/focus", (c) => {
          ctx.bus.publish("window.focus", {});
          return c.json({ ok: true });
        })
        .post("/painted", async (c) => {
          const { t } = await readJson(c, paintedSchema);
          ctx.bus.publish("window.painted", { t, at: Date.now() });
          return c.json({ ok: true });
        }),
    },
  };
}
