/** UI plugins as an app service: the /api/plugins routes over the data dir's plugins/ folder. */
import type { ServiceFactory } from "../launcher/services";
import { pluginRoutes } from "./routes/plugins";
import { PluginStore } from "./store";

export const pluginService: ServiceFactory = (ctx) => ({ name: "plugins", routes: { "/plugins": pluginRoutes(new PluginStore(ctx.paths.plugins, ctx.paths.pluginState)) } });
