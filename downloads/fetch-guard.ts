/**
 * The one way the server fetches a URL for a user (plugin installs, model
 * downloads, search, Civitai lookups and previews) — issue 26:
 * - http and https only, at the first URL and after every redirect: redirects
 *   are followed here, hop by hop, never by fetch itself (Bun's fetch reads
 *   `file://` URLs, so a redirect to `file:///…` read a local file);
 * - with `refusePrivate`, every hop's host is resolved here and refused when
 *   any of its addresses is loopback, private, link-local, unique-local, CGNAT,
 *   unspecified or an IPv6 form of one (address-class.ts); the request then
 *   goes to the checked address itself (the URL names the IP; `Host` and the
 *   TLS server name stay the host's, and Bun checks the certificate against
 *   that name), so a DNS answer that changes between the check and the
 *   connection (rebinding) is never used;
 * - headers given for the first URL (a token) go to that origin only;
 * - bodies are read against a byte limit and the read is cancelled as soon
 *   as it passes it (`readLimited`), whatever Content-Length said.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { addressProblem } from "./address-class";
import { NamedError } from "../core/server/errors";

export type FetchRefusal = "url_not_allowed" | "address_not_allowed" | "too_many_redirects" | "too_large";

/** The HTTP status a route answers each refusal with. */
const STATUS: Record<FetchRefusal, 400 | 403 | 413 | 502> = { url_not_allowed: 400, address_not_allowed: 403, too_many_redirects: 502, too_large: 413 };

export class FetchRefusedError extends NamedError {
  override name = "FetchRefusedError";
  override readonly status: 400 | 403 | 413 | 502;
  constructor(
    override readonly code: FetchRefusal,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export interface FetchGuardOptions {
  /** Refuse hosts that resolve to this computer or a local network (plugin URLs; guest-started downloads). */
  refusePrivate?: boolean;
  /** Addresses let through despite `refusePrivate` (exact IPs, e.g. a mirror the owner runs on the LAN). */
  allowAddresses?: string[];
  /** Hosts (`host[:port]` as in a URL) let through despite `refusePrivate`: ones the owner configured (the model sites' bases). */
  allowHosts?: string[];
  method?: string;
  /** Sent to the first URL's origin only (an Authorization token). */
  headers?: Record<string, string>;
  /** Sent on every hop (Range, Accept). */
  hopHeaders?: Record<string, string>;
  signal?: AbortSignal;
  /** Redirects followed at most (default 10). */
  maxRedirects?: number;
  /** false: the first answer is returned as it is, a redirect included (its Location is not fetched). */
  follow?: boolean;
  /** The fetch to use (tests inject one); called with `redirect: "manual"` only. */
  fetch?: typeof fetch;
  /** Host name → its addresses (default: the system resolver); injected by tests. */
  resolve?: (host: string) => Promise<string[]>;
}

const SCHEMES = new Set(["http:", "https:"]);

async function systemResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

/** The URL, or FetchRefusedError when it is not an http(s) URL. */
export function checkedUrl(url: string, what = "the address"): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FetchRefusedError("url_not_allowed", `${what} is not a URL: ${url.slice(0, 200)}`);
  }
  if (!SCHEMES.has(u.protocol))
    throw new FetchRefusedError("url_not_allowed", `${what} must be http or https, not ${u.protocol.replace(/:$/, "")}: (${url.slice(0, 200)})`);
  return u;
}

/** The address to connect to for `u` when private addresses are refused; FetchRefusedError for a private one. */
async function checkedAddress(u: URL, o: FetchGuardOptions): Promise<string> {
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : await (o.resolve ?? systemResolve)(host).catch((err: Error) => {
    throw new TypeError(`${u.hostname} could not be resolved: ${err.message}`);
  });
  if (!addresses.length) throw new TypeError(`${u.hostname} has no address`);
  for (const a of addresses) {
    if (o.allowAddresses?.includes(a)) continue;
    const why = addressProblem(a);
    if (why)
      throw new FetchRefusedError(
        "address_not_allowed",
        `${u.host} is ${a}, ${why}: the app does not fetch from this computer or local networks for this`,
      );
  }
  return addresses[0]!;
}

/**
 * One request with redirects followed by hand, each hop checked as the module
 * says. Returns the final answer (its body unread) and its URL.
 */
export async function guardedFetch(url: string, o: FetchGuardOptions = {}): Promise<{ response: Response; url: string }> {
  const doFetch = o.fetch ?? fetch;
  const first = checkedUrl(url);
  let current = first;
  for (let hops = 0; ; hops++) {
    const headers: Record<string, string> = { ...(current.origin === first.origin ? o.headers : {}), ...o.hopHeaders };
    let target = current.href;
    const init: RequestInit & { tls?: { serverName?: string } } = { method: o.method ?? "GET", headers, signal: o.signal, redirect: "manual" };
    if (o.refusePrivate && !o.allowHosts?.includes(current.host)) {
      const address = await checkedAddress(current, o);
      if (!isIP(current.hostname.replace(/^\[|\]$/g, ""))) {
        const pinned = new URL(current.href);
        pinned.hostname = address.includes(":") ? `[${address}]` : address;
        target = pinned.href;
        headers.host = current.host;
        if (current.protocol === "https:") init.tls = { serverName: current.hostname };
      }
    }
    const response = await doFetch(target, init);
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || response.status === 304 || !location || o.follow === false) return { response, url: current.href };
    await response.body?.cancel().catch(() => {});
    if (hops >= (o.maxRedirects ?? 10)) throw new FetchRefusedError("too_many_redirects", `${first.host} redirected more than ${o.maxRedirects ?? 10} times`);
    current = checkedUrl(new URL(location, current).href, "a redirect");
  }
}

/**
 * The body, read as it arrives and cancelled as soon as it passes `maxBytes`
 * (FetchRefusedError "too_large"); a Content-Length over the limit is refused
 * before anything is read.
 */
export async function readLimited(response: Response, maxBytes: number, what = "the answer"): Promise<Uint8Array> {
  const limit = maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MB` : `${Math.round(maxBytes / 1024)} KB`;
  const tooLarge = () => new FetchRefusedError("too_large", `${what} is over ${limit}`);
  if (Number(response.headers.get("content-length") ?? 0) > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Answers of the sites' JSON APIs (search pages, model details) are read up to this size. */
export const MAX_JSON_ANSWER_BYTES = 16 * 1024 * 1024;

/** The answer's JSON, read within `maxBytes` (readLimited). */
export async function readJsonLimited(response: Response, maxBytes = MAX_JSON_ANSWER_BYTES, what = "the answer"): Promise<unknown> {
  return JSON.parse(new TextDecoder().decode(await readLimited(response, maxBytes, what)));
}
