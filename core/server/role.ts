/**
 * The two roles, decided here and nowhere else:
 * - owner: this computer. A request whose peer is a loopback address (the
 *   window, a browser or a script on this machine). In-process requests
 *   (`app.request()` in tests, which have no peer at all) are the owner too:
 *   they come from code running inside the app, and nothing that arrives over
 *   a network reaches the app without Bun giving its peer address.
 * - guest: any other device that passed the LAN gate with the token (session
 *   cookie, Bearer or Basic). It makes pictures; it does not change this computer.
 * Routes of any noun ask `roleOf`; which route allows what is the launcher's
 * table (launcher/access/route-roles.ts).
 */
import type { Context } from "hono";
import { ApiError } from "./errors";

export type Role = "owner" | "guest";

/** The peer's address from Bun's server (Hono's env); undefined for in-process requests. */
export function peerAddress(c: Context): string | undefined {
  const server = c.env as { requestIP?: (req: Request) => { address: string } | null } | undefined;
  return server?.requestIP?.(c.req.raw)?.address;
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return true;
  const a = address.toLowerCase();
  return a === "::1" || a.startsWith("127.") || a.startsWith("::ffff:127.");
}

/** Pure: the role of a request that passed the LAN gate, from its peer address (undefined: in-process, the owner). */
export function roleOfPeer(peer: string | undefined): Role {
  return isLoopback(peer) ? "owner" : "guest";
}

export function roleOf(c: Context): Role {
  return roleOfPeer(peerAddress(c));
}

/** The sentence a guest gets for an owner action; `what` says the action ("install an engine"). */
export function ownerOnlyMessage(what: string): string {
  return `Only the computer running Easy Diffusion can do this: ${what}.`;
}

export function ownerOnly(what: string): ApiError {
  return new ApiError(403, "owner_only", ownerOnlyMessage(what));
}
