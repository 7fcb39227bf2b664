/**
 * Issue 26's input findings that the app as a whole answers, through
 * `app.request()` on the real Hono app: 50,000-deep JSON and 40,000 nested
 * `{` in a prompt (were 500 "Maximum call stack size exceeded") are 400s
 * naming the limit; every HTML page refuses framing and every answer says
 * nosniff and same-origin resources; `Host: [::1].evil.com` (passed the
 * Host check) is 403 forbidden_host.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assets } from "../../ui/dist/manifest";
import { ConfigStore } from "../../core/config/store";
import { EventBus } from "../../core/events/bus";
import { silentLogger } from "../../core/log";
import { resolvePaths } from "../../core/paths";
import { createApp } from "../../launcher/server/app";
import type { AppContext } from "../../core/server/context";
import { jsonDepth, MAX_JSON_DEPTH } from "../../core/server/json-depth";
import { hostName, isAllowedHost, parseHost } from "../../launcher/server/security";
import { expandPrompt, MAX_SET_DEPTH, PromptTooDeepError } from "../../common/prompt-expand";
import { promptRoutes } from "../../prompts/routes/prompts";

let dir: string;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;

const req = (path: string, init: RequestInit = {}) => app.request(`http://127.0.0.1:9000${path}`, { ...init, headers: { host: "127.0.0.1:9000", ...(init.headers as Record<string, string>) } });
const post = (path: string, body: string, method = "POST") => req(path, { method, body, headers: { "content-type": "application/json" } });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ed-bounds-"));
  const paths = resolvePaths({ home: dir, platform: "linux", ci: true }, { dataDir: dir });
  writeFileSync(paths.config, "server:\n  port: 9000\n");
  ctx = { paths, config: ConfigStore.load(paths.config), bus: new EventBus(), log: silentLogger, heartbeatMs: 50 };
  app = createApp(ctx, { api: { "/prompts": promptRoutes(paths.wildcards, paths.customModifiers) }, ui: assets });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("nesting limits", () => {
  test("jsonDepth counts brackets outside strings only, and stops early", () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[{{{"}]}')).toBe(3);
    expect(jsonDepth('["\\"[[["]')).toBe(1);
    expect(jsonDepth("[".repeat(1000), 10)).toBe(11);
  });

  test("50,000-deep JSON → 400 json_too_deep naming the limit, on PATCH /api/config and PUT /api/ui-state; the config is untouched", async () => {
    const before = readFileSync(ctx.paths.config, "utf8");
    const deep = `{"server":${"[".repeat(50_000)}${"]".repeat(50_000)}}`;
    for (const [path, method] of [["/api/config", "PATCH"], ["/api/ui-state", "PUT"], ["/api/prompts/expand", "POST"]] as const) {
      const res = await post(path, deep, method);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toEqual({ code: "json_too_deep", message: `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels (the limit for objects and arrays inside each other)` });
    }
    expect(readFileSync(ctx.paths.config, "utf8")).toBe(before);
    // At the limit it is read as any body is (here: a validation error, not a depth one).
    const atLimit = await post("/api/config", `{"server":${"[".repeat(MAX_JSON_DEPTH - 1)}${"]".repeat(MAX_JSON_DEPTH - 1)}}`, "PATCH");
    expect((await errorOf(atLimit)).code).toBe("invalid_request");
  });

  test("40,000 nested { in a prompt → 400 prompt_too_deep naming the limit; 32 levels still expand", async () => {
    const res = await post("/api/prompts/expand", JSON.stringify({ prompt: `${"{".repeat(40_000)}a${"}".repeat(40_000)}` }));
    expect(res.status).toBe(400);
    const err = await errorOf(res);
    expect(err.code).toBe("prompt_too_deep");
    expect(err.message).toContain(`nested more than ${MAX_SET_DEPTH} sets deep`);
    const lines = await post("/api/prompts/expand", JSON.stringify({ lines: ["ok", `${"{".repeat(40_000)}`] }));
    expect((await errorOf(lines)).code).toBe("prompt_too_deep");
    expect(expandPrompt(`${"{".repeat(MAX_SET_DEPTH)}a,b${"}".repeat(MAX_SET_DEPTH)} cat`)).toEqual(["a cat", "b cat"]);
    expect(() => expandPrompt(`${"{".repeat(MAX_SET_DEPTH + 1)}a${"}".repeat(MAX_SET_DEPTH + 1)}`)).toThrow(PromptTooDeepError);
  });
});

describe("response headers", () => {
  test("HTML pages refuse framing; everything is nosniff and same-origin", async () => {
    for (const path of ["/", "/image", "/gallery/123"]) {
      const res = await req(path);
      expect(res.headers.get("content-type")).toStartWith("text/html");
      expect(res.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    }
    for (const path of ["/api/health", "/api/nothing-here", "/api/config"]) {
      const res = await req(path);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
      expect(res.headers.get("x-frame-options")).toBeNull();
    }
    // Refused answers carry them too.
    const refused = await app.request("http://127.0.0.1:9000/", { headers: { host: "evil.example" } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  });
});

describe("Host parsing", () => {
  test("IPv6 literals are parsed strictly: [::1].evil.com and friends are 403 forbidden_host", async () => {
    for (const host of ["[::1].evil.com", "[::1].evil.com:9000", "[::1]evil", "[::1]:9000x", "[::1]:", "[::1", "[zz::1]", "[::1]:99999999", "127.0.0.1:9000@evil.com", "localhost:9000/x", "[::1]]"]) {
      const res = await app.request("http://127.0.0.1:9000/api/health", { headers: { host } });
      expect({ host, status: res.status }).toEqual({ host, status: 403 });
      expect((await errorOf(res)).code).toBe("forbidden_host");
    }
    for (const host of ["[::1]", "[::1]:9000", "localhost", "127.0.0.1:9000", "app.localhost:9000"]) {
      expect({ host, status: (await app.request("http://127.0.0.1:9000/api/health", { headers: { host } })).status }).toEqual({ host, status: 200 });
    }
  });

  test("parseHost: name and port, or null", () => {
    expect(parseHost("[::1]:9000")).toEqual({ name: "[::1]", port: "9000" });
    expect(parseHost("Example.COM")).toEqual({ name: "example.com", port: "" });
    expect(parseHost("[::1].evil.com")).toBeNull();
    expect(hostName("[::1].evil.com")).toBe("");
    expect(isAllowedHost("[::1].evil.com", [])).toBe(false);
    expect(isAllowedHost("[fe80::1]:9000", ["[fe80::1]"])).toBe(true);
  });
});
