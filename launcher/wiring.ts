/**
 * Which services the real app runs, in start order. Tests compose their own
 * list; this is the one the executable uses.
 */
import type { ServiceFactory } from "./services";
import { windowService } from "./window/service";

export function appServices(): ServiceFactory[] {
  return [windowService];
}
