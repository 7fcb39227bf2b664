import { Hono } from "hono";
import { keepMaskedSecrets, maskSecrets } from "../../../core/config/secrets";
import { ConfigError, formatProblem } from "../../../core/config/store";
import { configJsonSchema, configPatchSchema, type ConfigPatch } from "../../../core/config/schema";
import type { AppContext } from "../../../core/server/context";
import { ApiError, readJson } from "../../../core/server/errors";
import { runningSettings } from "../running-settings";

/**
 * `GET/PATCH /api/config` and `GET /api/config/schema` (what the Settings form
 * renders). Secrets (the tokens) are masked in every answer and kept when the
 * mask comes back (config/secrets.ts); who may change what is decided in
 * access/route-roles.ts. `running` holds the settings whose running value
 * differs from the file, with why (running-settings.ts).
 */
export function configRoutes(ctx: AppContext) {
  const view = () => ({
    config: maskSecrets(ctx.config.config),
    file: ctx.config.file,
    problems: ctx.config.problems.map((p) => ({ ...p, text: formatProblem(p) })),
    running: runningSettings(ctx.config.config, ctx.listening),
  });
  return new Hono()
    .get("/", (c) => c.json(view()))
    .get("/schema", (c) => c.json(configJsonSchema()))
    .patch("/", async (c) => {
      const patch = keepMaskedSecrets((await readJson(c, configPatchSchema())) as ConfigPatch);
      try {
        ctx.config.update(patch);
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw new ApiError(500, "config_write_failed", `could not save ${ctx.config.file}: ${(err as Error).message}`);
      }
      const keys = Object.entries(patch).flatMap(([s, v]) => Object.keys(v ?? {}).map((k) => `${s}.${k}`));
      ctx.bus.publish("config.changed", { keys });
      return c.json(view());
    });
}
