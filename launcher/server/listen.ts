/**
 * Binds the HTTP server. When the wanted port is taken, the next free one is
 * used (up to `tries` ports further) and the caller reports which.
 */
import type { Server } from "bun";
import { NamedError } from "../../core/server/errors";

/** The largest body any route takes: the server itself refuses more (Bun.serve maxRequestBodySize). */
export const MAX_BODY_BYTES = 1024 * 1024 * 1024;

export class PortInUseError extends NamedError {
  override name = "PortInUseError";
  override readonly code = "port_in_use";
  override readonly status = 500;
}

export interface Listening {
  server: Server<undefined>;
  url: string;
  port: number;
  /** True when the wanted port was taken and another one was used. */
  moved: boolean;
}

function isAddrInUse(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === "EADDRINUSE" || /address already in use|EADDRINUSE/i.test(e?.message ?? "");
}

export function urlFor(host: string, port: number): string {
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}/`;
}

export function listen(fetch: (req: Request, server: Server<undefined>) => Response | Promise<Response>, host: string, port: number, tries = 20): Listening {
  for (let p = port; p < Math.min(port + tries, 65536); p++) {
    try {
      // SSE streams stay open: Bun's 10 s idle default would cut them between heartbeats.
      const server = Bun.serve({ fetch, hostname: host, port: p, idleTimeout: 60, reusePort: false, maxRequestBodySize: MAX_BODY_BYTES });
      return { server, url: urlFor(host, server.port!), port: server.port!, moved: p !== port };
    } catch (err) {
      if (!isAddrInUse(err)) throw err;
    }
  }
  throw new PortInUseError(`ports ${port}-${port + tries - 1} on ${host} are all in use; pass --port with a free one`);
}
