/** Services besides queue + compat that the compat tests run (the plugins service, once it exists). */
import type { ServiceFactory } from "../../launcher/services";

export function extraServices(): ServiceFactory[] {
  return [];
}
