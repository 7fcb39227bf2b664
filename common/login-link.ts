/**
 * Easy Diffusion's login links, as Settings → Other devices shows them and its
 * QR code holds them (launcher/access/routes.ts `loginLinks`:
 * `http://host:port/login?token=…`). Pure and browser-safe: the server reads
 * a worker's link with it (workers/link.ts) and Settings → Workers checks the
 * text of a QR code picture with it before offering it.
 */

/** The shape of the tokens Easy Diffusion makes (launcher/access/token.ts: 32 random bytes, base64url), with room for longer ones. */
export const ACCESS_TOKEN = /^[A-Za-z0-9_-]{16,256}$/;

/** Whether `text` is a login link: an http(s) address of a computer, path `/login`, with a token of that shape. */
export function isLoginLink(text: string): boolean {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return false;
  }
  const http = u.protocol === "http:" || u.protocol === "https:";
  return http && !!u.hostname && !u.username && !u.password && u.pathname === "/login" && ACCESS_TOKEN.test(u.searchParams.get("token") ?? "");
}
