/** UI plugins as an app service: the /api/plugins routes over the data dir's plugins/ folder. */
import type { FetchGuardOptions } from "../downloads/fetch-guard";
import type { ServiceFactory } from "../core/services";
import { pluginRoutes } from "./routes/plugins";
import { PluginStore } from "./store";

/** The service with options for URL installs (tests: `allowAddresses` lets a loopback test server be the first hop). */
export const pluginServiceWith =
  (fetchOptions: Pick<FetchGuardOptions, "allowAddresses" | "resolve"> = {}): ServiceFactory =>
  (ctx) => ({ name: "plugins", routes: { "/plugins": pluginRoutes(new PluginStore(ctx.paths.plugins, ctx.paths.pluginState), fetchOptions) } });

export const pluginService: ServiceFactory = pluginServiceWith();
