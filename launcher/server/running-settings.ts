/**
 * The settings whose running value differs from config.yaml, and why: the
 * port when the configured one was taken or --port chose another, the address
 * when "other devices" or --host chose it, either when the file changed since
 * the start. GET /api/config sends them so Settings shows them beside the
 * configured values. Pure.
 */
import type { Config } from "../../core/config/schema";
import type { ListeningAt } from "../../core/server/context";

export interface RunningValue {
  value: unknown;
  /** One sentence, starting lower case: "running on port 9400: 9000 was taken". */
  note: string;
}

const ALL_INTERFACES = new Set(["0.0.0.0", "::"]);

function portNote(config: Config, at: ListeningAt): string | undefined {
  const configured = config.server.port;
  const wanted = at.wantedPort ?? configured;
  if (at.port === configured && wanted === configured) return undefined;
  const running = `running on port ${at.port}`;
  if (at.port !== wanted) return `${running}: ${wanted}${at.portPinned ? " (from --port)" : ""} was taken`;
  if (at.portPinned) return `${running}: set with --port ${wanted}`;
  return `${running} until the app restarts`;
}

function hostNote(config: Config, at: ListeningAt): string | undefined {
  if (at.host === config.server.host) return undefined;
  const running = ALL_INTERFACES.has(at.host) ? `listening on all network interfaces (${at.host})` : `listening on ${at.host}`;
  if (at.pinned) return `${running}: set with --host ${at.host}`;
  if (config.server.allow_lan && ALL_INTERFACES.has(at.host)) return `${running}: other devices are allowed`;
  return `${running} until the app restarts`;
}

/** `{"server.port": {value, note}}` for each setting running with another value; {} before the server listens. */
export function runningSettings(config: Config, at: ListeningAt | undefined): Record<string, RunningValue> {
  if (!at) return {};
  const out: Record<string, RunningValue> = {};
  const port = portNote(config, at);
  if (port) out["server.port"] = { value: at.port, note: port };
  const host = hostNote(config, at);
  if (host) out["server.host"] = { value: at.host, note: host };
  return out;
}
