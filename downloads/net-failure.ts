/**
 * A failed request in words a user can act on ("Can't reach huggingface.co —
 * is this computer offline?"), from the error fetch threw or the status the
 * server answered. The resolver's and socket's own words (getaddrinfo
 * ENOTFOUND, ECONNRESET) stay in the log, never on screen.
 */

/** The host a URL names, or the text itself when it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const UNREACHABLE = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "ECONNREFUSED",
  "ConnectionRefused",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "FailedToOpenSocket",
  "ENETDOWN",
]);
const CUT = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET"]);

/** Why a request to `url` failed, as one sentence; `code` names the kind ("offline", "connection_cut", "tls", "network"). */
export function networkFailure(err: unknown, url: string): { code: string; message: string } {
  const host = hostOf(url);
  const e = err as { code?: string; message?: string } | undefined;
  const code = e?.code ?? "";
  const text = e?.message ?? String(err);
  if (UNREACHABLE.has(code) || /ENOTFOUND|EAI_AGAIN|getaddrinfo|ECONNREFUSED|Unable to connect|ENETUNREACH|EHOSTUNREACH/i.test(text))
    return { code: "offline", message: `Can't reach ${host} — is this computer offline?` };
  if (CUT.has(code) || /ECONNRESET|socket connection was closed|EPIPE/i.test(text))
    return { code: "connection_cut", message: `The connection to ${host} was cut off` };
  if (/certificate|TLS|SSL/i.test(code + text))
    return { code: "tls", message: `${host}'s secure connection could not be checked (its certificate, or a proxy in between)` };
  return { code: "network", message: `Could not get an answer from ${host}` };
}

/** A server's answer that is worth retrying (5xx, 429) in words. */
export function statusFailure(status: number, url: string): { code: string; message: string } {
  const host = hostOf(url);
  if (status === 429) return { code: "busy", message: `${host} asks us to slow down (HTTP 429)` };
  if (status >= 500) return { code: "server_error", message: `${host} has a problem right now (HTTP ${status})` };
  return { code: "http_error", message: `${host} answered HTTP ${status}` };
}
