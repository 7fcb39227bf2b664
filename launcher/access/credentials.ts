/**
 * Who may pass, decided from the request's facts alone (pure, so tests need
 * no network): requests from this machine (loopback) pass without a token;
 * any other peer needs the token as `Authorization: Bearer`, HTTP Basic (any
 * user name, the token as password, for A1111 clients that only know
 * `--api-auth`), or the session cookie a login set.
 */
import { isLoopback } from "../../core/server/role";
import { sameSecret } from "./token";

export const SESSION_COOKIE = "ed_session";

export interface AccessFacts {
  /** The peer's IP address; undefined for in-process requests (tests' app.request). */
  peer?: string;
  authorization?: string;
  cookie?: string;
}

export type AccessDecision =
  | { ok: true; via: "loopback" | "bearer" | "basic" | "cookie" }
  /** `presented`: credentials were sent and were wrong (counts towards the rate limit). */
  | { ok: false; presented: boolean };

export function decideAccess(facts: AccessFacts, secrets: { token: string; session: string }): AccessDecision {
  if (isLoopback(facts.peer)) return { ok: true, via: "loopback" };
  const auth = facts.authorization?.trim() ?? "";
  let presented = false;
  const bearer = /^Bearer\s+(.+)$/i.exec(auth);
  if (bearer) {
    presented = true;
    if (sameSecret(bearer[1]!.trim(), secrets.token)) return { ok: true, via: "bearer" };
  }
  const basic = /^Basic\s+(.+)$/i.exec(auth);
  if (basic) {
    presented = true;
    const decoded = Buffer.from(basic[1]!.trim(), "base64").toString("utf8");
    const password = decoded.slice(decoded.indexOf(":") + 1);
    if (decoded.includes(":") && sameSecret(password, secrets.token)) return { ok: true, via: "basic" };
  }
  const cookie = readCookie(facts.cookie, SESSION_COOKIE);
  if (cookie !== undefined) {
    presented = true;
    if (sameSecret(cookie, secrets.session)) return { ok: true, via: "cookie" };
  }
  return { ok: false, presented };
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
