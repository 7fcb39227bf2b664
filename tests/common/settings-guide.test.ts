/**
 * The settings guide covers the config schema exactly: every key has a human
 * label, a group the Settings tab shows and one line of help, so a key added
 * to schema.ts without its line in settings-guide.ts fails here. And the
 * running values GET /api/config reports beside the configured ones.
 */
import { describe, expect, test } from "bun:test";
import type { z } from "zod";
import { configSchema, defaultConfig, type Config } from "../../core/config/schema";
import { SETTINGS_GROUPS, SETTINGS_GUIDE } from "../../common/settings-guide";
import { runningSettings } from "../../launcher/server/running-settings";

const schemaKeys = Object.entries(configSchema.shape).flatMap(([section, shape]) =>
  Object.entries((shape as z.ZodObject).shape).map(([key, field]) => ({ path: `${section}.${key}`, key, description: (field as z.ZodType).description })),
);

describe("settings guide", () => {
  test("every schema key has a label, a known group and one line of help", () => {
    const groups = new Set(SETTINGS_GROUPS.map((g) => g.id));
    const missing = schemaKeys.filter(({ path }) => !SETTINGS_GUIDE[path]?.label?.trim() || !groups.has(SETTINGS_GUIDE[path]!.group)).map((k) => k.path);
    expect(missing).toEqual([]);
    for (const { path, key, description } of schemaKeys) {
      const help = SETTINGS_GUIDE[path]!.help ?? description ?? "";
      expect(`${path}: ${help.length > 0 && help.length <= 220 && !help.includes("\n")}`).toBe(`${path}: true`);
      // A label is words for a person, not the key with its underscores.
      expect(SETTINGS_GUIDE[path]!.label).not.toContain("_");
      expect(`${path}: ${SETTINGS_GUIDE[path]!.label}`).not.toBe(`${path}: ${key}`);
    }
  });

  test("the guide names only schema keys, labels are distinct, and only a group with a card shows a key in it", () => {
    const paths = new Set(schemaKeys.map((k) => k.path));
    expect(Object.keys(SETTINGS_GUIDE).filter((p) => !paths.has(p))).toEqual([]);
    const labels = Object.values(SETTINGS_GUIDE).map((g) => g.label.toLowerCase());
    expect(new Set(labels).size).toBe(labels.length);
    // Names of choices name real values of the key.
    for (const [path, g] of Object.entries(SETTINGS_GUIDE)) {
      const [section, key] = path.split(".") as [string, string];
      const values = ((configSchema.shape as Record<string, z.ZodObject>)[section]!.shape[key] as z.ZodType).toJSONSchema().enum ?? [];
      for (const v of Object.keys(g.choices ?? {})) expect(`${path}: ${v} ${values.includes(v)}`).toBe(`${path}: ${v} true`);
    }
    for (const [path, g] of Object.entries(SETTINGS_GUIDE)) if (g.inCard) expect(`${path}: ${SETTINGS_GROUPS.find((x) => x.id === g.group)?.card ?? "no card"}`).not.toBe(`${path}: no card`);
  });

  test("the six sections of the issue are there, in words, Advanced folded", () => {
    const titles = SETTINGS_GROUPS.map((g) => g.title);
    for (const t of ["Image defaults", "Models and downloads", "Engine and GPU", "Other devices", "Appearance", "Advanced"]) expect(titles).toContain(t);
    expect(SETTINGS_GROUPS.filter((g) => g.folded).map((g) => g.title)).toEqual(["Advanced"]);
  });
});

describe("running values beside the configured ones", () => {
  const config = (server: Partial<Config["server"]> = {}): Config => {
    const c = defaultConfig();
    Object.assign(c.server, server);
    return c;
  };

  test("nothing while the app runs on what the file says, or before it listens", () => {
    expect(runningSettings(config(), { host: "127.0.0.1", port: 9000, wantedPort: 9000 })).toEqual({});
    expect(runningSettings(config(), undefined)).toEqual({});
  });

  test("the configured port was taken", () => {
    expect(runningSettings(config(), { host: "127.0.0.1", port: 9400, wantedPort: 9000 })).toEqual({ "server.port": { value: 9400, note: "running on port 9400: 9000 was taken" } });
  });

  test("--port chose the port, and was or was not free", () => {
    expect(runningSettings(config(), { host: "127.0.0.1", port: 9400, wantedPort: 9400, portPinned: true })["server.port"]!.note).toBe("running on port 9400: set with --port 9400");
    expect(runningSettings(config(), { host: "127.0.0.1", port: 9401, wantedPort: 9400, portPinned: true })["server.port"]!.note).toBe("running on port 9401: 9400 (from --port) was taken");
  });

  test("a port changed in the file since the start applies after a restart", () => {
    expect(runningSettings(config({ port: 9100 }), { host: "127.0.0.1", port: 9000, wantedPort: 9000 })["server.port"]).toEqual({ value: 9000, note: "running on port 9000 until the app restarts" });
  });

  test("the address: other devices allowed, --host, or changed since the start", () => {
    expect(runningSettings(config({ allow_lan: true }), { host: "0.0.0.0", port: 9000, wantedPort: 9000 })).toEqual({
      "server.host": { value: "0.0.0.0", note: "listening on all network interfaces (0.0.0.0): other devices are allowed" },
    });
    expect(runningSettings(config(), { host: "192.168.1.5", port: 9000, wantedPort: 9000, pinned: true })["server.host"]!.note).toBe("listening on 192.168.1.5: set with --host 192.168.1.5");
    expect(runningSettings(config({ host: "localhost" }), { host: "127.0.0.1", port: 9000, wantedPort: 9000 })["server.host"]!.note).toBe("listening on 127.0.0.1 until the app restarts");
  });
});
