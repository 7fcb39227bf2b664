import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "../../core/config/schema";
import { ConfigError, ConfigStore, formatProblem, validateConfig } from "../../core/config/store";

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ed-config-"));
  file = join(dir, "config.yaml");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const USER_FILE = `# My Easy Diffusion settings
server:
  # keep it local
  port: 9100 # my port
  host: 127.0.0.1

engine:
  backend: cpu   # no GPU here
`;

describe("ConfigStore", () => {
  test("a missing file gives the defaults and is not created by loading", () => {
    const store = ConfigStore.load(file);
    expect(store.config).toEqual(defaultConfig());
    expect(store.problems).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });

  test("edits keep the user's comments, order and other keys", () => {
    writeFileSync(file, USER_FILE);
    const store = ConfigStore.load(file);
    expect(store.config.server.port).toBe(9100);
    expect(store.config.engine.backend).toBe("cpu");
    store.update({ server: { port: 9200 }, outputs: { format: "webp" } });
    const text = readFileSync(file, "utf8");
    expect(text).toContain("# My Easy Diffusion settings");
    expect(text).toContain("# keep it local");
    expect(text).toContain("port: 9200 # my port");
    expect(text).toContain("backend: cpu # no GPU here");
    expect(text.indexOf("server:")).toBeLessThan(text.indexOf("engine:"));
    expect(text).toContain("format: webp");
    // Only what was set is written: no defaults were dumped into the file.
    expect(text).not.toContain("flash_attention");
    expect(ConfigStore.load(file).config.server.port).toBe(9200);
  });

  test("a bad value is reported with file, key and line; the default is used; the file is untouched", () => {
    const text = "server:\n  host: 127.0.0.1\n  port: lots\nengine:\n  threads: -3\n";
    writeFileSync(file, text);
    const store = ConfigStore.load(file);
    expect(store.config.server.port).toBe(9000);
    expect(store.config.engine.threads).toBe(0);
    const port = store.problems.find((p) => p.key === "server.port")!;
    expect(port.line).toBe(3);
    expect(formatProblem(port)).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:3: server.port: .*using the default \\(9000\\)`));
    expect(store.problems.find((p) => p.key === "engine.threads")?.line).toBe(5);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  test("unknown sections and keys are reported, not fatal", () => {
    writeFileSync(file, "colours: {}\nserver:\n  prot: 1\n");
    const keys = ConfigStore.load(file).problems.map((p) => p.key);
    expect(keys).toEqual(["colours", "server.prot"]);
  });

  test("fixing a bad key through an edit clears its problem and keeps the rest of the file", () => {
    writeFileSync(file, "# mine\nserver:\n  port: lots\n");
    const store = ConfigStore.load(file);
    store.update({ server: { port: 9300 } });
    expect(store.problems).toEqual([]);
    expect(readFileSync(file, "utf8")).toBe("# mine\nserver:\n  port: 9300\n");
  });

  test("broken YAML: defaults in memory, a problem with its line, edits refused, file never overwritten", () => {
    const text = "server:\n  port: 9100\n  host: [unclosed\n";
    writeFileSync(file, text);
    const store = ConfigStore.load(file);
    expect(store.config).toEqual(defaultConfig());
    expect(store.problems[0]!.key).toBe("(syntax)");
    expect(store.problems[0]!.line).toBeGreaterThan(0);
    expect(() => store.update({ server: { port: 9200 } })).toThrow(ConfigError);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  test("an invalid edit is refused and writes nothing", () => {
    writeFileSync(file, USER_FILE);
    const store = ConfigStore.load(file);
    expect(() => store.update({ server: { port: 70000 } })).toThrow(/server\.port/);
    expect(readFileSync(file, "utf8")).toBe(USER_FILE);
    expect(store.config.server.port).toBe(9100);
  });
});

describe("validateConfig", () => {
  test("a file that is not a mapping is one problem, defaults otherwise", () => {
    const r = validateConfig(["a"], "c.yaml");
    expect(r.config).toEqual(defaultConfig());
    expect(r.problems[0]!.key).toBe("(root)");
    expect(validateConfig(null, "c.yaml").problems).toEqual([]);
  });

  test("a section that is not a mapping", () => {
    expect(validateConfig({ server: 5 }, "c.yaml").problems[0]!.message).toContain('"server" must be a mapping');
  });
});
