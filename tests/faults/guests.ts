/**
 * The guest suite: every route of the fully wired app asked by a guest (a
 * device on the network WITH the token). Owner routes (access/route-roles.ts,
 * and any route missing there) → 403 owner_only, and nothing in the data
 * folder changes; guest routes → not refused. Shared by
 * tests/launcher/roles.test.ts and R6 (strangers.ts, `bun run bench:faults`).
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Hono } from "hono";
import { roleRuleFor } from "../../launcher/access/route-roles";
import type { AccessToken } from "../../launcher/access/token";

export interface RouteCase {
  /** "METHOD /pattern" as the app lists it. */
  key: string;
  method: string;
  /** A concrete path: parameters filled with "x", the UI's catch-all as "/". */
  path: string;
  who: "owner" | "guest";
}

/** Every route the app serves (middleware and catch-alls registered for ALL left out), with its role. */
export function routeCases(app: Hono): RouteCase[] {
  const out = new Map<string, RouteCase>();
  for (const r of app.routes) {
    if (r.method === "ALL") continue;
    const key = `${r.method} ${r.path}`;
    const path = r.path.replace(/:[A-Za-z_][A-Za-z0-9_]*(\{[^}]*\})?/g, "x").replace(/\/\*$/, "/");
    out.set(key, { key, method: r.method, path, who: roleRuleFor(key)?.who ?? "owner" });
  }
  return [...out.values()];
}

/**
 * Bodies that ask for what only the owner may do, for the owner routes a guest
 * may call with other bodies or settings (RoleRule.guestIf); others get `{}`.
 */
export const OWNER_ASKS: Record<string, unknown> = {
  "PATCH /api/config": { server: { cors_origins: ["http://evil.example"], allowed_hosts: ["evil.example"] } },
  "POST /api/tasks/remove": { finished: true, delete_pictures: true },
  "POST /api/models/download": { url: "https://evil.example/x.safetensors", kind: "lora" },
  "POST /api/models/downloads/:id/cancel": {},
  "POST /api/models/downloads/:id/retry": {},
  "POST /api/models/downloads/:id/remove": {},
};

export interface GuestAnswer {
  status: number;
  code?: string;
}
export type GuestSend = (method: string, path: string, body: string | undefined) => Promise<GuestAnswer>;

/** Reads an answer's status and error code; streams (SSE) are cancelled after their headers. */
export async function answerOf(res: Response): Promise<GuestAnswer> {
  if ((res.headers.get("content-type") ?? "").includes("event-stream")) {
    await res.body?.cancel();
    return { status: res.status };
  }
  const text = await res.text();
  try {
    return { status: res.status, code: (JSON.parse(text) as { error?: { code?: string } })?.error?.code };
  } catch {
    return { status: res.status };
  }
}

/** The three ways a guest presents the token: the login's session cookie, Bearer, Basic (A1111's --api-auth). */
export function guestCredentials(token: AccessToken): Record<string, Record<string, string>> {
  return { cookie: { cookie: `ed_session=${token.session}` }, bearer: { authorization: `Bearer ${token.value}` }, basic: { authorization: `Basic ${btoa(`any:${token.value}`)}` } };
}

/** A guest through the app's real middleware in process: Bun's requestIP as Hono sees it, for a peer on the LAN. */
export function inProcessGuest(app: Hono, port: number, token: string, address = "192.168.1.20", credentials: Record<string, string> = { authorization: `Bearer ${token}` }): GuestSend {
  return async (method, path, body) =>
    answerOf(
      await app.request(
        `http://192.168.1.5:${port}${path}`,
        { method, headers: { host: `192.168.1.5:${port}`, ...credentials, "content-type": "application/json" }, body },
        { requestIP: () => ({ address, family: "IPv4", port: 40000 }) },
      ),
    );
}

/** Every file under `dir` with its size and modification time, one line each, sorted. */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      const s = statSync(full);
      if (s.isDirectory()) walk(full);
      else out.push(`${relative(dir, full)} ${s.size} ${s.mtimeMs}`);
    }
  };
  walk(dir);
  return out.sort();
}

export interface GuestSweep {
  owner: number;
  guest: number;
  /** Owner routes a guest got anything but 403 owner_only from; guest routes it was refused (401/403). */
  problems: string[];
  /** Files in the data folder that changed while the owner routes were asked. */
  changed: string[];
}

/** Asks every route as a guest: the owner routes first (data folder compared before and after), then the guest routes. */
export async function guestSweep(app: Hono, send: GuestSend, dataDir: string): Promise<GuestSweep> {
  const cases = routeCases(app);
  const problems: string[] = [];
  const bodyFor = (c: RouteCase) => (c.method === "GET" ? undefined : JSON.stringify(OWNER_ASKS[c.key] ?? {}));
  const before = snapshot(dataDir);
  const owners = cases.filter((c) => c.who === "owner");
  for (const c of owners) {
    const a = await send(c.method, c.path, bodyFor(c));
    if (a.status !== 403 || a.code !== "owner_only") problems.push(`owner route ${c.key} as a guest → ${a.status} ${a.code ?? ""}`);
  }
  const after = snapshot(dataDir);
  const changed = [...after.filter((l) => !before.includes(l)), ...before.filter((l) => !after.includes(l)).map((l) => `gone: ${l}`)];
  const guests = cases.filter((c) => c.who === "guest");
  for (const c of guests) {
    const a = await send(c.method, c.path, bodyFor(c));
    // Refused by the gate or a role, not answered by the route (the login form's own 401 for a wrong token is an answer).
    if (a.status === 403 || (a.status === 401 && a.code === "unauthorized")) problems.push(`guest route ${c.key} as a guest → ${a.status} ${a.code ?? ""}`);
  }
  return { owner: owners.length, guest: guests.length, problems, changed };
}
