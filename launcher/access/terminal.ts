/**
 * What the terminal says when other devices may connect: the login links and,
 * on a terminal, the QR code of the first one, so a phone can scan it from
 * the screen. The token is in the links: the terminal belongs to this
 * computer's user, like Settings.
 */
import { loginLinks, type Listening } from "./routes";
import { qrText } from "./qr";
import type { AccessToken } from "./token";

export function lanAnnouncement(listening: Listening, token: AccessToken, tty: boolean): string {
  const links = loginLinks(listening, token.value);
  if (!links.length) return `Other devices are allowed, but this computer has no network address yet (listening on ${listening.host}:${listening.port}).`;
  const lines = ["Other devices on this network can log in once with:", ...links.map((l) => `  ${l}`)];
  if (tty) lines.push(qrText(links[0]!));
  lines.push("Settings → Other devices shows the same, and makes a new token.");
  return lines.join("\n");
}
