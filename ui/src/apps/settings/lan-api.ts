/**
 * Settings → Other devices' calls: `GET /api/lan` (whether other devices may
 * connect, and for the owner the token, login links and QR code), `POST
 * /api/lan/token` (a new token) and the server.allow_lan switch.
 */
import { configApi } from "../../api/config";
import { api } from "../../api/http";

/** What /api/lan answers (launcher/access/routes.ts builds it inline: no server type to import). */
export interface LanView {
  enabled: boolean;
  host: string | null;
  port: number | null;
  /** The address comes from --host: the switch applies at the next start without it. */
  pinned: boolean;
  /** Only when asked from this computer. */
  token?: string;
  links?: string[];
  qr?: string | null;
}

export const lanApi = {
  view: () => api<LanView>("/api/lan"),
  /** Every device logged in now has to log in again. */
  newToken: () => api<LanView>("/api/lan/token", { method: "POST" }),
  allow: (on: boolean) => configApi.patch({ server: { allow_lan: on } }),
};
