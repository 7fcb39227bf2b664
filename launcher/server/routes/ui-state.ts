import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { roleOf } from "../../../core/server/role";
import type { AppContext } from "../../../core/server/context";
import { readJson } from "../../../core/server/errors";

/**
 * `GET/PUT /api/ui-state`: the open tabs and which one is active, kept in the
 * data dir so they come back on the next start whatever browser or webview
 * shows the UI. Incognito tabs are never sent here. Other devices (guests)
 * share a file of their own: a phone's tabs never replace this computer's.
 */
export const uiStateSchema = z.object({
  tabs: z
    .array(
      z.object({
        id: z.string().min(1).max(64),
        app: z.string().min(1).max(64),
        title: z.string().max(200).optional(),
        state: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .max(100),
  active: z.string().max(64).nullable(),
});
export type UiState = z.infer<typeof uiStateSchema>;

export function uiStateRoutes(ctx: AppContext) {
  const fileOf = (c: Context) => (roleOf(c) === "owner" ? ctx.paths.uiState : ctx.paths.uiStateGuests);
  return new Hono()
    .get("/", (c) => {
      const file = fileOf(c);
      if (!existsSync(file)) return c.json({ tabs: [], active: null });
      try {
        return c.json(uiStateSchema.parse(JSON.parse(readFileSync(file, "utf8"))));
      } catch {
        return c.json({ tabs: [], active: null });
      }
    })
    .put("/", async (c) => {
      const state = await readJson(c, uiStateSchema);
      const file = fileOf(c);
      // Its size was checked before parsing (body-limits.ts: 1 MB).
      const body = JSON.stringify(state);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, body);
      renameSync(`${file}.tmp`, file);
      return c.json(state);
    });
}
