/**
 * `/login`: a device logs in once with the token (the link from the QR code,
 * or the form), gets an HttpOnly, SameSite=Strict session cookie and goes to
 * the app. `/api/lan`: whether other devices may connect, and, for this
 * machine only, the token, the login links and their QR code;
 * `POST /api/lan/token` makes a new token (every device logs in again; the
 * owner's only: route-roles.ts). `/api/session`: this device's role and what
 * a guest may do, so the UI can show owner-only controls read-only.
 */
import { Hono, type Context } from "hono";
import { setCookie } from "hono/cookie";
import type { Config } from "../../core/config/schema";
import { lanAddresses } from "./addresses";
import { isLoopback, ownerOnlyMessage, peerAddress, roleOf } from "../../core/server/role";
import { SESSION_COOKIE } from "./credentials";
import { loginPage } from "./login-page";
import { tooManyAttempts } from "./middleware";
import type { FailureLimiter } from "./rate-limit";
import { GUEST_SETTINGS } from "./route-roles";
import { sameSecret, type AccessToken } from "./token";

export interface Listening {
  host: string;
  port: number;
  /** Set by --host: the settings switch applies at the next start. */
  pinned?: boolean;
}

/** Other devices can connect when the server listens beyond loopback. */
export function lanEnabled(listening: Listening | undefined): boolean {
  return !!listening && !isLoopback(listening.host) && listening.host !== "localhost";
}

export function loginLinks(listening: Listening, token: string): string[] {
  const hosts = listening.host === "0.0.0.0" || listening.host === "::" ? lanAddresses().ips : [listening.host];
  return hosts.map((h) => `http://${h.includes(":") ? `[${h}]` : h}:${listening.port}/login?token=${token}`);
}

export function loginRoutes(token: AccessToken, limiter: FailureLimiter) {
  const attempt = (c: Context, given: string | undefined) => {
    const peer = peerAddress(c);
    if (isLoopback(peer)) return c.redirect("/", 303);
    if (given === undefined) return c.html(loginPage(), 200);
    const blocked = limiter.blockedFor(peer!);
    if (blocked) return tooManyAttempts(c, blocked);
    if (!sameSecret(given.trim(), token.value)) {
      limiter.fail(peer!);
      return c.html(loginPage({ error: "That token is not right. Copy it again from Settings → Other devices." }), 401);
    }
    setCookie(c, SESSION_COOKIE, token.session, { httpOnly: true, sameSite: "Strict", path: "/", maxAge: 400 * 24 * 3600 });
    return c.redirect("/", 303);
  };
  return new Hono()
    .get("/", (c) => attempt(c, c.req.query("token")))
    .post("/", async (c) => {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      return attempt(c, typeof form.token === "string" ? form.token : "");
    });
}

export function lanRoutes(token: AccessToken, listening: () => Listening | undefined) {
  const view = async (c: Context) => {
    const l = listening();
    const enabled = lanEnabled(l);
    const base = { enabled, host: l?.host ?? null, port: l?.port ?? null, pinned: !!l?.pinned };
    // The token and its links are shown to the owner only.
    if (roleOf(c) !== "owner" || !enabled || !l) return base;
    const links = loginLinks(l, token.value);
    // Loaded when first shown, not at every start.
    const { qrSvg } = await import("./qr");
    return { ...base, token: token.value, links, qr: links[0] ? qrSvg(links[0]) : null };
  };
  return new Hono()
    .get("/", async (c) => c.json(await view(c)))
    .post("/token", async (c) => {
      token.regenerate();
      return c.json(await view(c));
    });
}

export interface SessionView {
  role: "owner" | "guest";
  /** Settings ("section.key") a guest may change; the owner may change all. */
  guest_settings: readonly string[];
  /** Whether the owner lets other devices download models (models.guest_downloads). */
  guest_downloads: boolean;
  /** The sentence a guest sees on owner-only controls. */
  owner_only: string;
}

export function sessionRoutes(config: () => Config) {
  return new Hono().get("/", (c) =>
    c.json({
      role: roleOf(c),
      guest_settings: GUEST_SETTINGS,
      guest_downloads: config().models.guest_downloads,
      owner_only: ownerOnlyMessage("it changes that computer"),
    } satisfies SessionView),
  );
}
