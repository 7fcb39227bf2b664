/**
 * R6: strangers. Against the fully wired app: a foreign Host on every route,
 * other origins (other ports of this machine included) on every
 * state-changing route, devices on the network without the token or with a
 * wrong one on every route, a brute-force run, and guests: devices WITH the
 * token (session cookie, Bearer, Basic) on every owner route (guests.ts).
 * Nothing is accepted.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp } from "../../launcher/start";
import { appServices } from "../../launcher/wiring";
import { assets } from "../../ui/dist/manifest";
import { AccessToken } from "../../launcher/access/token";
import { guestCredentials, guestSweep, inProcessGuest } from "./guests";
import { result, type SuiteResult } from "./suite";

const REFUSED = new Set([401, 403, 429]);

export async function strangers(bruteForce: number): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), "ed-fault-r6-"));
  writeFileSync(join(dir, "config.yaml"), "ui:\n  open_window: false\nserver:\n  allowed_hosts: [192.168.1.5]\nengine:\n  api_base: http://127.0.0.1:9/\n");
  const app = await startApp({ run: { server: true, noOpen: true, dataDir: dir, port: 20000 + Math.floor(Math.random() * 30000) }, env: { ...readEnv({}), edHome: undefined }, services: appServices(), ui: assets, log: silentLogger });
  const problems: string[] = [];
  const tally = { host: 0, origin: 0, lan: 0, brute: 0, guest: 0 };
  let ownerRoutes = 0;
  const accepted = (what: string, status: number) => {
    if (!REFUSED.has(status)) problems.push(`${what} → ${status}`);
  };
  try {
    const routes = [...new Map(app.app.routes.filter((r) => r.method !== "ALL" && !r.path.includes("*")).map((r) => [`${r.method} ${r.path}`, { method: r.method, path: r.path.replace(/:[A-Za-z_]+(\{[^}]*\})?/g, "x") }])).values(), { method: "GET", path: "/" }];
    const changing = routes.filter((r) => !["GET", "HEAD", "OPTIONS"].includes(r.method));
    const body = (m: string) => (m === "GET" || m === "HEAD" ? undefined : "{}");
    const json = { "content-type": "application/json" };

    for (const r of routes)
      for (const host of ["evil.example", `evil.example:${app.port}`, `192.168.1.20:${app.port}`, "localhost.evil.example", `127.0.0.1.nip.io:${app.port}`]) {
        const res = await fetch(new URL(r.path, app.url), { method: r.method, headers: { ...json, host }, body: body(r.method) });
        tally.host++;
        accepted(`Host ${host} ${r.method} ${r.path}`, res.status);
      }

    const other = app.port + 1;
    for (const r of changing)
      for (const origin of ["http://localhost:3000", "http://127.0.0.1:8888", "http://[::1]:5173", `http://localhost:${other}`, "https://evil.example", "null", "http://127.0.0.1"]) {
        const res = await fetch(new URL(r.path, app.url), { method: r.method, headers: { ...json, origin }, body: body(r.method) });
        tally.origin++;
        accepted(`Origin ${origin} ${r.method} ${r.path}`, res.status);
      }

    // Devices on the network: Bun's requestIP as Hono sees it, for a peer that is not this machine.
    const fromLan = (path: string, init: RequestInit, address: string) =>
      app.app.request(`http://192.168.1.5:${app.port}${path}`, { ...init, headers: { host: `192.168.1.5:${app.port}`, ...(init.headers as Record<string, string>) } }, { requestIP: () => ({ address, family: "IPv4", port: 40000 }) });
    let peer = 0;
    // The login page itself is public (that is where a device without the token goes).
    for (const r of routes.filter((r) => !(r.method === "GET" && r.path === "/login")))
      for (const auth of [{}, { authorization: "Bearer wrong" }, { authorization: `Basic ${btoa("a:wrong")}` }, { cookie: "ed_session=wrong" }] as Record<string, string>[]) {
        const res = await fromLan(r.path, { method: r.method, headers: { ...json, ...auth }, body: body(r.method) }, `192.168.2.${(peer++ % 250) + 1}`);
        tally.lan++;
        accepted(`LAN ${JSON.stringify(auth)} ${r.method} ${r.path}`, res.status);
      }

    // Guests: the token, by each of its three forms, on every owner route: 403 owner_only each, nothing on disk changed.
    const access = new AccessToken(app.ctx.paths.lanToken);
    for (const [how, credentials] of Object.entries(guestCredentials(access))) {
      const sweep = await guestSweep(app.app, inProcessGuest(app.app, app.port, access.value, "192.168.4.2", credentials), dir);
      ownerRoutes = sweep.owner;
      tally.guest += sweep.owner;
      problems.push(...sweep.problems.map((p) => `${how}: ${p}`), ...sweep.changed.map((f) => `${how}: changed on disk: ${f}`));
    }

    for (let i = 0; i < bruteForce; i++) {
      const res = await fromLan("/api/health", { headers: { authorization: `Bearer guess-${i}-${crypto.randomUUID()}` } }, "192.168.3.7");
      tally.brute++;
      accepted(`brute force #${i}`, res.status);
    }
    const token = ((await (await fetch(new URL("/api/lan", app.url))).json()) as { token?: string }).token;
    // The guesser stays locked out even with the right token; a fresh device with it gets in (control).
    if (token) {
      accepted("brute forcer with the right token", (await fromLan("/api/health", { headers: { authorization: `Bearer ${token}` } }, "192.168.3.7")).status);
      const control = (await fromLan("/api/health", { headers: { authorization: `Bearer ${token}` } }, "192.168.3.8")).status;
      if (control !== 200) problems.push(`control: a device with the token got ${control}`);
    }
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const total = tally.host + tally.origin + tally.lan + tally.brute + tally.guest;
  return result(
    "R6",
    `strangers: ${total} requests (${tally.host} foreign Host, ${tally.origin} other origins, ${tally.lan} LAN without a valid token, ${tally.brute} brute force, ${tally.guest} guest with the token: ${ownerRoutes} owner routes × cookie/Bearer/Basic): ${problems.length} accepted`,
    problems,
  );
}
