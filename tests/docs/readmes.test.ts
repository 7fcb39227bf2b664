/**
 * Each noun folder opens with a README that says what it owns, its routes,
 * its events and what it imports (issue 19), and the README stays accurate:
 * - every route the folder serves is named as `METHOD /full/path` (Hono's
 *   `:param` or OpenAPI's `{param}`). The routes are the ones the real app
 *   serves: each service of launcher/wiring.ts appServices() is built on a
 *   throwaway context (nothing started: tests/api-docs/wired-routes.ts) and
 *   mounted alone on createApp, as startApp mounts it; createApp's own routes
 *   are the launcher's;
 * - every `METHOD /api/…` (or /sdapi, /v1, /internal, /login) a README names
 *   (the top-level one too) is a route the app serves (no stale routes);
 * - every bus event the folder publishes (`publish("…"`) or declares (its
 *   EventMap entries) is named in backticks;
 * - every folder the folder's code imports is named on its Imports line.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { Hono } from "hono";
import { createApp } from "../../launcher/server/app";
import { withWiredServices } from "../api-docs/wired-routes";

const root = join(import.meta.dir, "..", "..");

/** The noun folders, each with a README. */
const FOLDERS = ["core", "common", "pictures", "downloads", "engine", "models", "queue", "upscale", "gallery", "compat", "prompts", "plugins", "launcher", "ui"];

/** Folders whose README is being rewritten on another branch: only their existence is checked. */
const PENDING = new Set<string>([]);

/**
 * Which folder each service of appServices() comes from (its factory's file).
 * A route belongs to the folder whose service mounts it (`/api/upscale`,
 * mounted by the upscale service from upscale/routes/upscale.ts, is upscale's).
 * A new service must be added here: the test fails naming it.
 */
const SERVICE_FOLDER: Record<string, string> = {
  "download-progress": "launcher",
  engine: "engine",
  "models-net": "models",
  models: "models",
  queue: "queue",
  upscale: "upscale",
  video: "video",
  compat: "compat",
  gallery: "gallery",
  "api-docs": "launcher",
  prompts: "prompts",
  plugins: "plugins",
  window: "launcher",
};

const SERVED = /^\/(api|sdapi|v1|internal|login)(\/|$)/;

/** `:name{.+}` and `{name}` → `:name`; no trailing slash. */
function normalPath(path: string): string {
  const p = path.replace(/:(\w+)(\{[^}]*\})?/g, ":$1").replace(/\{(\w+)\}/g, ":$1");
  return p.length > 1 ? p.replace(/\/+$/, "") : p;
}

function routeKeys(app: Hono): Set<string> {
  const keys = new Set<string>();
  for (const r of app.routes) if (r.method !== "ALL" && !r.path.includes("*") && SERVED.test(r.path)) keys.add(`${r.method} ${normalPath(r.path)}`);
  return keys;
}

/** "METHOD /path" → the folder that serves it. */
async function servedRoutes(): Promise<Map<string, string>> {
  return withWiredServices((ctx, services) => {
    const owner = new Map<string, string>();
    const base = routeKeys(createApp(ctx));
    for (const key of base) owner.set(key, "launcher");
    for (const service of services) {
      const folder = SERVICE_FOLDER[service.name];
      if (!folder) throw new Error(`service "${service.name}" is not in SERVICE_FOLDER (tests/docs/readmes.test.ts)`);
      for (const key of routeKeys(createApp(ctx, { api: service.routes, root: service.rootRoutes }))) if (!base.has(key)) owner.set(key, folder);
    }
    return owner;
  });
}

/** The folder's own TypeScript sources (not the UI's build output). */
function sources(folder: string): { file: string; text: string }[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !relative(root, e.parentPath).startsWith("ui/dist"))
    .map((e) => ({ file: join(e.parentPath, e.name), text: readFileSync(join(e.parentPath, e.name), "utf8") }));
}

/** Events the folder publishes or adds to EventMap. */
function folderEvents(folder: string): Set<string> {
  const names = new Set<string>();
  for (const source of sources(folder)) {
    // Comments may show examples (core/events/bus.ts does); only code counts.
    const text = source.text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const m of text.matchAll(/\bpublish\(\s*"([\w.-]+)"/g)) names.add(m[1]!);
    for (const block of text.matchAll(/interface EventMap \{([\s\S]*?)\n\s*\}/g)) for (const m of block[1]!.matchAll(/^\s*"?([\w.-]+)"?\s*:/gm)) names.add(m[1]!);
  }
  return names;
}

/** Top-level folders the folder's code imports from (values or types). */
function importedFolders(folder: string): Set<string> {
  const out = new Set<string>();
  for (const { file, text } of sources(folder)) {
    for (const m of text.matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+)"|\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g)) {
      const target = relative(root, resolve(dirname(file), m[1] ?? m[2]!)).split("/")[0]!;
      if (target !== folder && FOLDERS.includes(target)) out.add(target);
    }
  }
  return out;
}

/** `METHOD /path` mentions (backticked or not), the path ending at a space, backtick, `?`, `)` or end. */
function mentionedRoutes(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/\b(GET|POST|PUT|PATCH|DELETE) (\/[\w\-./:{}]*)/g)) out.add(`${m[1]} ${normalPath(m[2]!.replace(/[.]+$/, ""))}`);
  return out;
}

const readme = (folder: string) => readFileSync(join(root, folder, "README.md"), "utf8");
const routes = await servedRoutes();

test("the app's routes were found and each folder serves some", () => {
  expect(routes.size).toBeGreaterThan(100);
  for (const f of ["launcher", "engine", "models", "queue", "upscale", "gallery", "compat", "prompts", "plugins"]) expect({ f, has: [...routes.values()].includes(f) }).toEqual({ f, has: true });
  expect(routes.get("GET /api/models/:kind/:name")).toBeUndefined();
  expect(routes.get("DELETE /api/models/:kind/:name")).toBe("models");
  expect(routes.get("POST /sdapi/v1/txt2img")).toBe("compat");
});

test("the top-level README.md names no route the app does not serve", () => {
  const stale = [...mentionedRoutes(readFileSync(join(root, "README.md"), "utf8"))].filter((key) => SERVED.test(key.split(" ")[1]!) && !routes.has(key));
  expect(stale).toEqual([]);
});

describe.each(FOLDERS)("%s/README.md", (folder) => {
  const pending = PENDING.has(folder);

  test("exists and opens with what it owns, its routes, its events and its imports", () => {
    expect(existsSync(join(root, folder, "README.md"))).toBe(true);
    if (pending) return;
    const opening = readme(folder).split("\n").slice(0, 40).join("\n");
    for (const label of ["Owns", "Routes", "Events", "Imports"]) expect({ label, found: opening.includes(`**${label}:**`) }).toEqual({ label, found: true });
  });

  test.skipIf(pending)("names every route the folder serves, as METHOD /path", () => {
    const named = mentionedRoutes(readme(folder));
    const missing = [...routes].filter(([key, owner]) => owner === folder && !named.has(key)).map(([key]) => key);
    expect(missing).toEqual([]);
  });

  test.skipIf(pending)("names no route the app does not serve", () => {
    const stale = [...mentionedRoutes(readme(folder))].filter((key) => SERVED.test(key.split(" ")[1]!) && !routes.has(key));
    expect(stale).toEqual([]);
  });

  test.skipIf(pending)("names every event the folder publishes or declares", () => {
    const text = readme(folder);
    const missing = [...folderEvents(folder)].filter((name) => !new RegExp("`" + name.replace(/\./g, "\\.") + "[` ]").test(text));
    expect(missing).toEqual([]);
  });

  test.skipIf(pending)("names every folder it imports on its Imports line", () => {
    const text = readme(folder);
    const at = text.indexOf("**Imports:**");
    const line = at < 0 ? "" : text.slice(at).split(/\n\s*\n|\n- \*\*/)[0]!;
    const missing = [...importedFolders(folder)].filter((f) => !line.includes(`${f}/`));
    expect(missing).toEqual([]);
  });
});
