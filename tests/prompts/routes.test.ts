/** /api/prompts through the real app: expansion with the data folder's wildcards, clear 400s. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigStore } from "../../core/config/store";
import { readEnv } from "../../core/env";
import { EventBus } from "../../core/events/bus";
import { silentLogger } from "../../core/log";
import { resolvePaths } from "../../core/paths";
import { createApp } from "../../launcher/server/app";
import type { AppContext } from "../../core/server/context";
import { promptsService } from "../../prompts/service";

let dir: string;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ed-prompts-"));
  const paths = resolvePaths({ ...readEnv({}), edHome: undefined }, { dataDir: dir });
  const ctx: AppContext = { paths, config: ConfigStore.load(paths.config), bus: new EventBus(), log: silentLogger };
  mkdirSync(join(paths.wildcards, "styles"), { recursive: true });
  writeFileSync(join(paths.wildcards, "animal.txt"), "cat\n# not a line\n\n");
  writeFileSync(join(paths.wildcards, "styles", "paint.txt"), "oil painting\r\n");
  const service = await promptsService(ctx);
  app = createApp(ctx, { api: service.routes });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const post = (body: unknown) =>
  app.request("/api/prompts/expand", { method: "POST", headers: { "content-type": "application/json", host: "127.0.0.1" }, body: JSON.stringify(body) });

test("expands sets, matrix and wildcards from wildcards/*.txt (subfolders too)", async () => {
  const res = await post({ prompt: "a {red,blue} __animal__|__styles/paint__" });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ prompts: ["a red cat", "a blue cat", "a red cat, oil painting", "a blue cat, oil painting"], count: 4 });
});

test("a prompt file's lines", async () => {
  const res = await post({ lines: ["one", "", "{two,three}"] });
  expect((await res.json()).prompts).toEqual(["one", "two", "three"]);
});

test("lists the wildcards", async () => {
  const res = await app.request("/api/prompts/wildcards", { headers: { host: "127.0.0.1" } });
  const names = (await res.json()).wildcards.map((w: { name: string }) => w.name).sort();
  expect(names).toEqual(["animal", "styles/paint"]);
});

test("over 1,000, bad braces, unknown wildcards and bad bodies are clear 400s", async () => {
  const ten = "{0,1,2,3,4,5,6,7,8,9}";
  const cases: [unknown, string][] = [
    [{ prompt: `${ten}${ten}${ten}${ten}` }, "too_many_prompts"],
    [{ prompt: "{a,b" }, "prompt_syntax"],
    [{ prompt: "__dragon__" }, "unknown_wildcard"],
    [{}, "invalid_request"],
  ];
  for (const [body, code] of cases) {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(code);
  }
});

test("style modifiers: the user's modifiers.txt first, then the shipped list", async () => {
  writeFileSync(join(dir, "modifiers.txt"), "# mine\n[My looks]\nfoggy harbour\nfoggy harbour\nloose line\n");
  const res = await app.request("/api/prompts/modifiers", { headers: { host: "127.0.0.1" } });
  const { categories } = (await res.json()) as { categories: { name: string; modifiers: string[]; custom?: boolean }[] };
  expect(categories[0]).toEqual({ name: "My looks", modifiers: ["foggy harbour", "loose line"], custom: true });
  const names = categories.map((c) => c.name);
  for (const n of ["Art style", "Lighting", "Camera"]) expect(names).toContain(n);
  expect(categories.find((c) => c.name === "Lighting")!.modifiers).toContain("golden hour");
});
