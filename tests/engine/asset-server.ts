/**
 * A local file server for download tests and the benchmark: Range and
 * If-Range like GitHub's CDN, plus faults (cut the connection, ignore Range,
 * corrupt a byte, 404, stall). 127.0.0.1 only.
 */
export type Fault =
  /** Ends the body early at `at`: cleanly (every byte sent arrives), or with a reset (`abrupt`: bytes in flight are lost). */
  | { kind: "cut"; at: number; times?: number; abrupt?: boolean }
  | { kind: "ignore-range" }
  | { kind: "corrupt"; at: number }
  | { kind: "stall"; at: number; times?: number }
  | { kind: "status"; status: number; times?: number };

export interface AssetServer {
  url(name: string): string;
  port: number;
  /** Bytes written into response bodies, all requests together. */
  sent: number;
  requests: { name: string; range?: string; ifRange?: string; status: number }[];
  fault?: Fault;
  stop(): void;
}

const CHUNK = 256 * 1024;

export function serveAssets(files: Record<string, Uint8Array | string>): AssetServer {
  const state: AssetServer = {
    port: 0,
    sent: 0,
    requests: [],
    url: (name) => `http://127.0.0.1:${server.port}/download/${name}`,
    stop: () => server.stop(true),
  };
  const etagOf = (name: string) => `"${Bun.hash(name).toString(16)}"`;
  /** One use of a fault with a `times` count. */
  const take = (f: Fault & { times?: number }) => {
    if (f.times === undefined) return true;
    if (f.times <= 0) return false;
    f.times--;
    return true;
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const name = decodeURIComponent(new URL(req.url).pathname.replace(/^\/download\//, ""));
      const entry = files[name];
      const range = req.headers.get("range") ?? undefined;
      const ifRange = req.headers.get("if-range") ?? undefined;
      const log = (status: number) => state.requests.push({ name, range, ifRange, status });
      const fault = state.fault;
      if (fault?.kind === "status" && take(fault)) return log(fault.status), new Response("fault", { status: fault.status });
      if (entry === undefined) return log(404), new Response("Not Found", { status: 404 });
      const size = typeof entry === "string" ? Bun.file(entry).size : entry.length;
      let start = 0;
      const m = range && /^bytes=(\d+)-$/.exec(range);
      const honour = m && fault?.kind !== "ignore-range" && (!ifRange || ifRange === etagOf(name));
      if (honour) start = Number(m[1]);
      if (start > 0 && start >= size) return log(416), new Response(null, { status: 416, headers: { "content-range": `bytes */${size}` } });
      const status = honour ? 206 : 200;
      log(status);
      const headers: Record<string, string> = { "content-length": String(size - start), etag: etagOf(name), "accept-ranges": "bytes" };
      if (honour) headers["content-range"] = `bytes ${start}-${size - 1}/${size}`;
      if (typeof entry === "string" && !fault) {
        // The fast path (sendfile), for the benchmark.
        state.sent += size - start;
        return new Response(Bun.file(entry).slice(start), { status, headers });
      }
      const data = typeof entry === "string" ? await Bun.file(entry).bytes() : entry;
      let pos = start;
      const cut = fault?.kind === "cut" && take(fault) ? fault.at : undefined;
      const abrupt = fault?.kind === "cut" && fault.abrupt;
      const stall = fault?.kind === "stall" && take(fault) ? fault.at : undefined;
      const body = new ReadableStream({
        async pull(c) {
          if (pos >= data.length) return c.close();
          let end = Math.min(data.length, pos + CHUNK);
          if (cut !== undefined && pos >= cut) return abrupt ? c.error(new Error("test cut")) : c.close();
          if (stall !== undefined && pos >= stall) return new Promise(() => {}); // hang: headers sent, no more bytes
          if (cut !== undefined && end > cut) end = cut;
          if (stall !== undefined && end > stall) end = stall;
          let chunk = data.subarray(pos, end);
          if (fault?.kind === "corrupt" && fault.at >= pos && fault.at < end) {
            chunk = chunk.slice();
            chunk[fault.at - pos]! ^= 0xff;
          }
          state.sent += chunk.length;
          pos = end;
          c.enqueue(chunk);
        },
      });
      return new Response(body, { status, headers });
    },
  });
  state.port = server.port!;
  return state;
}
