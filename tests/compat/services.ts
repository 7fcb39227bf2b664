/** Services besides queue + compat that the compat tests run. */
import type { ServiceFactory } from "../../core/services";
import { pluginService } from "../../plugins/service";

export function extraServices(): ServiceFactory[] {
  return [pluginService];
}
