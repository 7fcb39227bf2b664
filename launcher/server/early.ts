/**
 * Binds the HTTP port before the app's modules and config load, so the
 * process answers at once: `GET /api/health` says `starting`, every other
 * request waits until the app is attached and is then served by it. The
 * address is a guess (the command line, else the config's defaults); when
 * the config names another one, startApp drops this socket and binds that.
 */
import type { Server } from "bun";
import { listen, type Listening } from "./listen";
import { isAllowedHost } from "./security";

type Fetch = (req: Request, server: Server<undefined>) => Response | Promise<Response>;

/** config.yaml's defaults for server.host/port; a mismatch only costs the head start. */
export const GUESSED_ADDRESS = { host: "127.0.0.1", port: 9000 } as const;

export interface EarlyServer {
  /** The address asked for (the bound port may be a later one, as listen() moves on). */
  host: string;
  port: number;
  listening: Listening;
  /** Hands the socket to the app; queued requests go to it. */
  attach(fetch: Fetch): Listening;
  close(): void;
}

export function listenEarly(host: string, port: number): EarlyServer {
  let app: Fetch | undefined;
  let resolveApp: (f: Fetch) => void = () => {};
  const ready = new Promise<Fetch>((r) => (resolveApp = r));
  const listening = listen(
    (req, server) => {
      if (app) return app(req, server);
      const url = new URL(req.url);
      if (req.method === "GET" && url.pathname === "/api/health" && isAllowedHost(req.headers.get("host") ?? url.host, [])) {
        return Response.json({ status: "starting" });
      }
      return ready.then((f) => f(req, server));
    },
    host,
    port,
  );
  return {
    host,
    port,
    listening,
    attach(fetch) {
      app = fetch;
      resolveApp(fetch);
      return listening;
    },
    close() {
      // Answer whoever waits, then stop listening; those answers still go out.
      resolveApp(() => Response.json({ error: { code: "moved", message: "the app listens on another address" } }, { status: 503 }));
      void listening.server.stop();
    },
  };
}
