/**
 * A local stand-in of Hugging Face's file hosting, from its documented
 * shapes: `/<owner>/<name>/resolve/main/<file>` answers (GET and HEAD) with a
 * 302 to its CDN carrying X-Linked-Size and X-Linked-Etag (the LFS sha256),
 * and the CDN serves the bytes with Range. Each repository behaves as told:
 * open, gated (401 without the token, as Hugging Face answers a gated or
 * missing repository), a plain error status, or a mirror that serves another
 * file (other bytes of the same size, or another size) under the same name.
 */
export type RepoBehaviour = "open" | "gated" | "other-bytes" | "other-size" | 401 | 403 | 404 | 410 | 500;

export interface HfStandin {
  base: string;
  requests: { method: string; path: string; auth: string | null }[];
  /** Requests for one repository (`owner/name`) and file. */
  asked(repo: string, file: string): { method: string; path: string; auth: string | null }[];
  stop(): void;
}

const sha = (b: Uint8Array) => new Bun.CryptoHasher("sha256").update(b).digest("hex");

export function hfStandin(files: Record<string, Uint8Array>, repos: Record<string, RepoBehaviour>, opts: { token?: string; chunkDelayMs?: number; hostname?: string } = {}): HfStandin {
  const token = opts.token ?? "hf_ok";
  const requests: HfStandin["requests"] = [];
  const served = (behaviour: RepoBehaviour, bytes: Uint8Array): Uint8Array => {
    if (behaviour === "other-bytes") {
      const copy = bytes.slice();
      copy[copy.length - 1] = copy[copy.length - 1]! ^ 0xff;
      return copy;
    }
    if (behaviour === "other-size") return new Uint8Array([...bytes, 0, 0, 0, 0]);
    return bytes;
  };
  const body = (bytes: Uint8Array) =>
    opts.chunkDelayMs
      ? new ReadableStream({
          async pull(ctl) {
            const step = Math.max(1, Math.ceil(bytes.length / 20));
            for (let at = 0; at < bytes.length; at += step) {
              ctl.enqueue(bytes.slice(at, at + step));
              await Bun.sleep(opts.chunkDelayMs!);
            }
            ctl.close();
          },
        })
      : (bytes as Uint8Array<ArrayBuffer>);
  const server = Bun.serve({
    port: 0,
    hostname: opts.hostname ?? "127.0.0.1",
    fetch: (req) => {
      const url = new URL(req.url);
      requests.push({ method: req.method, path: url.pathname, auth: req.headers.get("authorization") });
      const cdn = /^\/cdn\/([^/]+\/[^/]+)\/(.+)$/.exec(url.pathname);
      const resolve = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(url.pathname);
      const [repo, file] = (cdn ?? resolve)?.slice(1) ?? [];
      const behaviour = repo ? repos[repo] : undefined;
      const original = file ? files[file] : undefined;
      if (!behaviour || !original) return new Response("Repository Not Found", { status: 401, headers: { "x-error-code": "RepoNotFound" } });
      if (typeof behaviour === "number") return new Response(behaviour === 404 ? "Entry not found" : "error", { status: behaviour, headers: behaviour === 404 ? { "x-error-code": "EntryNotFound" } : {} });
      if (behaviour === "gated" && req.headers.get("authorization") !== `Bearer ${token}`)
        return new Response(`Access to model ${repo} is restricted. You must have access to it and be authenticated to access it.`, { status: 401, headers: { "x-error-code": "GatedRepo" } });
      const bytes = served(behaviour, original);
      if (resolve)
        return new Response(null, { status: 302, headers: { location: `/cdn/${repo}/${file}`, "x-linked-size": String(bytes.length), "x-linked-etag": `"${sha(bytes)}"`, etag: `W/"git-blob-id"` } });
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.get("range") ?? "");
      if (range) {
        const from = Number(range[1]);
        const to = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
        return new Response(req.method === "HEAD" ? null : bytes.slice(from, to + 1), { status: 206, headers: { "content-range": `bytes ${from}-${to}/${bytes.length}`, "content-length": String(to - from + 1) } });
      }
      return new Response(req.method === "HEAD" ? null : body(bytes), { headers: { "content-length": String(bytes.length), etag: `"${sha(bytes)}"` } });
    },
  });
  const base = `http://${opts.hostname ?? "127.0.0.1"}:${server.port}`;
  return {
    base,
    requests,
    asked: (repo, file) => requests.filter((r) => r.path === `/${repo}/resolve/main/${file}` || r.path === `/cdn/${repo}/${file}`),
    stop: () => server.stop(true),
  };
}
