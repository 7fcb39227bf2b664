/**
 * R5's runner, started by fuzz.ts inside a network namespace of its own
 * (`unshare -n`: loopback only, so nothing a random request sets can reach
 * another machine). Starts the real executable's code (`launcher/main.ts
 * --server`) as a child, sends it `count` random and malformed requests
 * across every route (fast-check, fixed seed), then a path-traversal corpus
 * at every route that reads files, and prints one JSON line of findings.
 * argv: count seed
 */
import fc from "fast-check";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp } from "../../launcher/start";
import { appServices } from "../../launcher/wiring";
import { assets } from "../../ui/dist/manifest";
import { startServerChild } from "./procs";

const [count = 1000, seed = 42] = process.argv.slice(2).map(Number);
Bun.spawnSync(["ip", "link", "set", "lo", "up"]);

const root = mkdtempSync(join(tmpdir(), "ed-fuzz-"));
const SECRET = `ED-SECRET-${crypto.randomUUID()}`;
writeFileSync(join(root, "secret.txt"), SECRET);
const CONFIG = "ui:\n  open_window: false\nengine:\n  api_base: http://127.0.0.1:9/\n";

/** Every route of the fully wired app, from an instance started on a scratch folder. */
async function routeList(): Promise<{ method: string; path: string }[]> {
  const scratch = join(root, "scratch");
  mkdirSync(scratch);
  writeFileSync(join(scratch, "config.yaml"), CONFIG);
  const app = await startApp({ run: { server: true, noOpen: true, dataDir: scratch, port: 20000 + Math.floor(Math.random() * 20000) }, env: { ...readEnv({}), edHome: undefined }, services: appServices(), ui: assets, log: silentLogger });
  const routes = app.app.routes.filter((r) => r.method !== "ALL" && !r.path.includes("*")).map((r) => ({ method: r.method, path: r.path }));
  await app.stop();
  return [...new Map(routes.map((r) => [`${r.method} ${r.path}`, r])).values()];
}

const routes = await routeList();
const data = join(root, "data");
mkdirSync(data);
writeFileSync(join(data, "config.yaml"), CONFIG);
const { proc: child, base } = await startServerChild(data);

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0) * 1024;

const TRAVERSAL = ["..", "../", "../secret.txt", "../../secret.txt", "../../../secret.txt", "..%2fsecret.txt", "%2e%2e%2fsecret.txt", "%252e%252e%252fsecret.txt", "..\\secret.txt", "....//secret.txt", `${root}/secret.txt`, "/etc/passwd", "..%00", "%c0%ae%c0%ae/secret.txt", "．．/secret.txt"];
const param = fc.oneof(fc.string(), fc.constantFrom(...TRAVERSAL), fc.constant("x"), fc.nat().map(String), fc.string({ unit: "grapheme", maxLength: 40 }), fc.string({ minLength: 200, maxLength: 3000 }));
const contentType = fc.constantFrom("application/json", "text/plain", "multipart/form-data; boundary=zz", "application/x-www-form-urlencoded", "image/png", "application/zip", "garbage/!!", undefined);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 500 }),
  fc.uint8Array({ maxLength: 4096 }),
  fc.record({ prompt: fc.string(), model: param, width: fc.integer(), height: fc.integer(), steps: fc.oneof(fc.integer(), fc.string()), num_images: fc.integer(), seed: fc.jsonValue() }).map((v) => JSON.stringify(v)),
  fc.constant("x".repeat(2 * 1024 * 1024)),
);
const request = fc.record({
  route: fc.constantFrom(...routes),
  method: fc.option(fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"), { freq: 4 }),
  params: fc.array(param, { minLength: 4, maxLength: 4 }),
  query: fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 3 }),
  contentType,
  body,
  encode: fc.boolean(),
});

const statuses: Record<string, number> = {};
const fiveXX: string[] = [];
/** 503 "the engine's release server cannot be reached": honest here, where the namespace has no network. */
let unreachable = 0;
const unreachableAnswer = (status: number, text: string) => status === 503 && /"code":"download_failed"/.test(text) && /could not reach|can't reach/i.test(text); // net-failure.ts words it "Can't reach <host> — is this computer offline?"
let connectionErrors = 0;
let sent = 0;
let warm = 0;
const samples = fc.sample(request, { numRuns: count, seed });
for (const r of samples) {
  let i = 0;
  const path = r.route.path.replace(/:[A-Za-z_]+(\{[^}]*\})?/g, () => (r.encode ? encodeURIComponent(r.params[i++]!) : r.params[i++]!.replace(/[?#\s]/g, "_")));
  const method = r.method ?? r.route.method;
  const qs = new URLSearchParams(r.query).toString();
  let url: URL;
  try {
    url = new URL(`${path}${qs ? `?${qs}` : ""}`, base);
  } catch {
    continue;
  }
  const headers: Record<string, string> = r.contentType ? { "content-type": r.contentType } : {};
  try {
    const res = await fetch(url, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : r.body, signal: AbortSignal.timeout(10_000) });
    // The event stream never ends by design: its headers are the answer.
    const text = (res.headers.get("content-type") ?? "").startsWith("text/event-stream") ? (await res.body?.cancel(), "") : await res.text();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    // HEAD has no body to say why: the same GET does.
    const why = method === "HEAD" && res.status === 503 ? await (await fetch(url)).text() : text;
    if (unreachableAnswer(res.status, why)) unreachable++;
    else if (res.status >= 500) fiveXX.push(`${method} ${url.pathname} → ${res.status} ${text.slice(0, 160)}`);
    if (text.includes(SECRET)) fiveXX.push(`LEAK ${method} ${url.pathname}`);
  } catch {
    connectionErrors++;
  }
  if (++sent === Math.floor(count / 10)) warm = rss();
}

// Path traversal at every GET route and the static files.
const leaks: string[] = [];
let traversals = 0;
const getRoutes = [...routes.filter((r) => r.method === "GET").map((r) => r.path), "/:file"];
for (const template of getRoutes) {
  for (const t of TRAVERSAL) {
    for (const encoded of [t, encodeURIComponent(t)]) {
      const path = template.includes(":") ? template.replace(/:[A-Za-z_]+(\{[^}]*\})?/g, encoded) : `${template}/${encoded}`;
      let url: URL;
      try {
        url = new URL(path, base);
      } catch {
        continue;
      }
      traversals++;
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
      const text = !res ? "" : (res.headers.get("content-type") ?? "").startsWith("text/event-stream") ? (await res.body?.cancel(), "") : await res.text();
      if (text.includes(SECRET) || text.includes("root:x:0:0")) leaks.push(`${url.pathname} → ${res?.status}`);
      if (res && res.status >= 500 && !unreachableAnswer(res.status, text)) fiveXX.push(`traversal ${url.pathname} → ${res.status}`);
    }
  }
}

await Bun.sleep(1500);
const end = rss();
const alive = child.exitCode === null && (await fetch(new URL("/api/health", base)).then((r) => r.ok).catch(() => false));
child.kill("SIGTERM");
await child.exited;
rmSync(root, { recursive: true, force: true });
console.log(JSON.stringify({ sent, routes: routes.length, statuses, fiveXX, unreachable, connectionErrors, warmRss: warm, endRss: end, alive, traversals, leaks }));
process.exit(0);
