/**
 * This device's role, from GET /api/session, asked once per page: the owner
 * (this computer) may do everything; a guest (another device with the token)
 * sees owner-only controls read-only with the server's sentence. The server
 * decides either way (launcher/access/route-roles.ts); this only spares the
 * user buttons that would be refused.
 */
import type { SessionView } from "../../../launcher/access/routes";
import { api } from "./http";

export type { SessionView };

const OWNER: SessionView = { role: "owner", guest_settings: [], guest_downloads: true, owner_only: "" };
let loading: Promise<SessionView> | undefined;

export function session(): Promise<SessionView> {
  // If the question fails the server still refuses what a guest may not do: show everything.
  return (loading ??= api<SessionView>("/api/session").catch(() => OWNER));
}

/** Pure: may this session change the setting "section.key"? */
export function mayChangeSetting(s: SessionView, path: string): boolean {
  return s.role === "owner" || s.guest_settings.includes(path);
}
