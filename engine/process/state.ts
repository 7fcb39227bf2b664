/**
 * The engine's state machine, as a pure function: the status after a
 * supervisor event (undefined when the event does not change it).
 *   absent → downloading → installed → starting → ready ⇄ busy → restarting → failed | stopped
 * (downloading/installed/busy/stopped are set by the manager itself.)
 */
import type { EngineStatus } from "../types";
import type { SupervisorEvent } from "./supervisor-events";

export function statusAfter(current: EngineStatus, e: SupervisorEvent): EngineStatus | undefined {
  const keep = { variant: current.variant, version: current.version };
  switch (e.type) {
    case "starting":
      // A restart after a crash stays "restarting" (with its cause) until the engine is ready again.
      return current.state === "restarting"
        ? { state: "restarting", variant: e.build.variant, version: e.build.tag, error: current.error }
        : { state: "starting", variant: e.build.variant, version: e.build.tag };
    case "ready":
      return { state: "ready", variant: e.engine.build.variant, version: e.engine.build.tag, port: e.engine.port };
    case "exited":
      // Only the death of a running engine is news here; a failed start is followed by restarting/fallback/failed.
      return !e.expected && (current.state === "ready" || current.state === "busy") ? { state: "restarting", ...keep, error: e.error } : undefined;
    case "restarting":
      return { state: "restarting", ...keep, error: e.error };
    case "fallback":
      return { state: "starting", variant: e.to.variant, version: e.to.tag, error: e.error };
    case "failed":
      return { state: "failed", ...keep, error: e.error };
    default:
      return undefined;
  }
}
