/**
 * The maintainer's check of the starter catalogue's sources (`bun run
 * catalog:check`, scripts/catalog-check.ts): for every source of every file, a
 * HEAD (Hugging Face answers /resolve/ with a 302 to its CDN carrying
 * X-Linked-Size and X-Linked-Etag = the LFS sha256), and a ranged GET where
 * HEAD names no size; without the token and, when one is configured, with it.
 * Each answer is judged against the catalogue: status (a gated source may
 * refuse without a token, an open one may not), exact size and sha256.
 */
import type { CatalogEntry } from "./catalog";

export interface SourceCheck {
  entry: string;
  file: string;
  url: string;
  gated: boolean;
  withToken: boolean;
  /** The first answer's status (a redirect counts as found); 0 when the request failed. */
  status: number;
  size?: number;
  sha256?: string;
  /** Whatever ETag the source gave, for the record (a git blob id for non-LFS files). */
  etag?: string;
  ok: boolean;
  /** Why it does not match, or a note on an expected refusal. */
  note: string;
}

const SHA = /^[0-9a-f]{64}$/;
const clean = (etag: string | null) => etag?.replace(/^W\//, "").replaceAll('"', "").toLowerCase() || undefined;
const num = (v: string | null) => (v !== null && /^\d+$/.test(v) ? Number(v) : undefined);

/** Requests that follow redirects by hand; the token goes to the source's own origin only (as downloads do). */
async function follow(url: string, init: { method: string; headers: Record<string, string> }, doFetch: typeof fetch, auth: Record<string, string>) {
  const origin = new URL(url).origin;
  const hops: Response[] = [];
  let at = url;
  for (let i = 0; i < 10; i++) {
    const res = await doFetch(at, {
      method: init.method,
      headers: { ...init.headers, ...(new URL(at).origin === origin ? auth : {}) },
      redirect: "manual",
      signal: AbortSignal.timeout(30_000),
    });
    hops.push(res);
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) break;
    await res.body?.cancel().catch(() => {});
    at = new URL(location, at).href;
  }
  return hops;
}

/** What one source says about its file, with or without a token. */
export async function checkSource(
  url: string,
  expected: { size?: number; sha256?: string; gated: boolean },
  token: string,
  doFetch: typeof fetch = fetch,
): Promise<Omit<SourceCheck, "entry" | "file">> {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const base = { url, gated: expected.gated, withToken: !!token };
  let hops: Response[];
  try {
    hops = await follow(url, { method: "HEAD", headers: {} }, doFetch, auth);
  } catch (err) {
    return { ...base, status: 0, ok: false, note: `no answer: ${(err as Error).message}` };
  }
  const first = hops[0]!;
  const last = hops.at(-1)!;
  const status = first.status;
  let size = num(first.headers.get("x-linked-size")) ?? (last.status === 200 ? num(last.headers.get("content-length")) : undefined);
  let etag = clean(first.headers.get("x-linked-etag")) ?? clean(first.headers.get("etag"));
  const found = last.status === 200 || last.status === 206;
  // HEAD that names no size (or is refused by the server): a one-byte ranged GET names the total in Content-Range.
  if ((found || last.status === 405 || last.status === 501) && size === undefined) {
    try {
      const ranged = await follow(url, { method: "GET", headers: { range: "bytes=0-0" } }, doFetch, auth);
      const got = ranged.at(-1)!;
      etag ??= clean(ranged[0]!.headers.get("x-linked-etag")) ?? clean(got.headers.get("x-linked-etag"));
      size =
        num(/\/(\d+)$/.exec(got.headers.get("content-range") ?? "")?.[1] ?? null) ??
        (got.status === 200 ? num(got.headers.get("content-length")) : undefined);
      await got.body?.cancel().catch(() => {});
    } catch {
      // the size stays unknown: judged below
    }
  }
  const sha256 = etag && SHA.test(etag) ? etag : undefined;
  const reachable = found || size !== undefined;
  const result = { ...base, status, size, sha256, etag };
  if (!reachable) {
    const refused = status === 401 || status === 403;
    if (expected.gated && refused && !token) return { ...result, ok: true, note: "gated, as recorded (needs a token)" };
    return {
      ...result,
      ok: false,
      note: refused
        ? token
          ? "refused with the token (licence not accepted, or the token is wrong)"
          : "refused without a token, but not marked gated"
        : `not available (HTTP ${status || "error"})`,
    };
  }
  const problems: string[] = [];
  if (expected.size === undefined) problems.push("the catalogue records no size");
  else if (size === undefined) problems.push("the source names no size");
  else if (size !== expected.size) problems.push(`size ${size} instead of ${expected.size}`);
  if (!expected.sha256) problems.push("the catalogue records no sha256");
  else if (!sha256) problems.push("the source names no sha256");
  else if (sha256 !== expected.sha256) problems.push(`sha256 ${sha256} instead of ${expected.sha256}`);
  if (problems.length) return { ...result, ok: false, note: problems.join("; ") };
  return { ...result, ok: true, note: expected.gated && !token ? "matches (marked gated, but open now)" : "matches" };
}

/** Every source of every file, without the token and (when given) with it, one at a time. */
export async function checkCatalog(
  entries: CatalogEntry[],
  opts: { token?: string; fetch?: typeof fetch; onResult?: (r: SourceCheck) => void } = {},
): Promise<SourceCheck[]> {
  const results: SourceCheck[] = [];
  const tokens = opts.token ? ["", opts.token] : [""];
  for (const e of entries)
    for (const f of e.files)
      for (const s of f.sources)
        for (const token of tokens) {
          const r = { entry: e.id, file: f.name, ...(await checkSource(s.url, { size: f.size, sha256: f.sha256, gated: s.gated }, token, opts.fetch)) };
          results.push(r);
          opts.onResult?.(r);
        }
  return results;
}

/** One line of the report. */
export function checkLine(r: SourceCheck): string {
  const what = [
    `${r.ok ? "ok      " : "MISMATCH"} ${r.entry}/${r.file}`,
    r.withToken ? "[token]" : "[no token]",
    r.url,
    `HTTP ${r.status || "-"}`,
    `size ${r.size ?? "?"}`,
    `sha256 ${r.sha256 ?? (r.etag ? `? (etag ${r.etag})` : "?")}`,
    r.note,
  ];
  return what.join("  ");
}
