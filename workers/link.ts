/**
 * What Settings → Workers → Add a computer is given: the other Easy
 * Diffusion's login link (Settings → Other devices there, or its QR code,
 * which holds the same link: launcher/access/routes.ts loginLinks), or its
 * address and token apart. Pure: the worker's origin and token, or why not.
 */
import { ACCESS_TOKEN } from "../common/login-link";
import { WorkerLinkError } from "./errors";

export interface WorkerAddress {
  /** The worker's origin, e.g. `http://192.168.1.20:9000` (scheme, host and port; no path). */
  url: string;
  token: string;
}

/** The origin of an http(s) address with a host, or WorkerLinkError. */
export function workerOrigin(text: string): URL {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    throw new WorkerLinkError(`"${text.slice(0, 200)}" is not an address: paste the login link from the other computer's Settings → Other devices`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new WorkerLinkError(`the address must start with http:// or https://, not ${u.protocol}`);
  if (!u.hostname) throw new WorkerLinkError("the address names no computer");
  if (u.username || u.password) throw new WorkerLinkError("put the token in the token field, not in the address");
  return u;
}

/** The worker's origin and token from a login link (`…/login?token=…`), or from an address plus a token given apart. */
export function parseWorkerLink(input: { link?: string; url?: string; token?: string }): WorkerAddress {
  const text = input.link ?? input.url;
  if (!text?.trim()) throw new WorkerLinkError("give the other computer's login link, or its address and token");
  const u = workerOrigin(text);
  const token = (input.token ?? u.searchParams.get("token") ?? "").trim();
  if (!token) throw new WorkerLinkError("the link has no token: copy the whole login link (it ends with ?token=…), or give the token");
  if (!ACCESS_TOKEN.test(token)) throw new WorkerLinkError("that is not an access token (letters, digits, - and _ only, as Settings → Other devices shows it)");
  return { url: u.origin, token };
}
