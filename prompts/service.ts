/** Prompt tools as an app service: mounts /api/prompts (expansion, wildcards and style modifiers from the data folder). */
import type { ServiceFactory } from "../core/services";
import { promptRoutes } from "./routes/prompts";

export const promptsService: ServiceFactory = (ctx) => ({
  name: "prompts",
  routes: { "/prompts": promptRoutes(ctx.paths.wildcards, ctx.paths.customModifiers) },
});
