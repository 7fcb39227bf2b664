/** Listening on a TCP port with a clear error for a taken one, and piping two sockets both ways. */
import { createServer, type Server, type Socket } from "node:net";
import { RpcPortTaken } from "./errors";

export function listen(server: Server, host: string, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE")
        reject(new RpcPortTaken(`Port ${port} on ${host} is already in use, so the ${what} cannot listen there: stop what uses it, or choose another port.`));
      else reject(e);
    });
    server.listen({ host, port }, () => resolve((server.address() as { port: number }).port));
  });
}

export const tcpServer = (onConnection: (s: Socket) => void) => createServer({ pauseOnConnect: true, noDelay: true }, onConnection);

/** Pipes a ⇄ b (after writing the bytes each side already read); when one ends or fails, both close. */
export function splice(a: Socket, b: Socket, restForB: Buffer, restForA: Buffer, onClose: (first: "a" | "b") => void): void {
  let first: "a" | "b" | undefined;
  const close = (who: "a" | "b") => {
    if (first) return;
    first = who;
    a.destroy();
    b.destroy();
    onClose(who);
  };
  a.on("close", () => close("a")).on("error", () => close("a"));
  b.on("close", () => close("b")).on("error", () => close("b"));
  if (restForB.length) b.write(restForB);
  if (restForA.length) a.write(restForA);
  a.pipe(b);
  b.pipe(a);
  a.resume();
  b.resume();
}
