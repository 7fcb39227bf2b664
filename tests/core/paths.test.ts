import { describe, expect, test } from "bun:test";
import { readEnv, type Env } from "../../core/env";
import { defaultDirs, MODEL_KINDS, modelDir, resolvePaths } from "../../core/paths";

const env = (over: Partial<Env>): Env => ({ home: "/home/u", platform: "linux", ci: false, ...over });

describe("defaultDirs", () => {
  test("Linux follows XDG, with the usual fallbacks", () => {
    expect(defaultDirs(env({}))).toEqual({ data: "/home/u/.local/share/easy-diffusion", config: "/home/u/.config/easy-diffusion" });
    expect(defaultDirs(env({ xdgDataHome: "/x/data", xdgConfigHome: "/x/conf" }))).toEqual({ data: "/x/data/easy-diffusion", config: "/x/conf/easy-diffusion" });
  });

  test("macOS uses Application Support", () => {
    const dir = "/Users/u/Library/Application Support/Easy Diffusion";
    expect(defaultDirs(env({ platform: "darwin", home: "/Users/u" }))).toEqual({ data: dir, config: dir });
  });

  test("Windows keeps config in %APPDATA% and data in %LOCALAPPDATA%", () => {
    const d = defaultDirs(env({ platform: "win32", home: "C:/Users/u", appData: "C:/R", localAppData: "C:/L" }));
    expect(d.config.replaceAll("\\", "/")).toBe("C:/R/Easy Diffusion");
    expect(d.data.replaceAll("\\", "/")).toBe("C:/L/Easy Diffusion");
    const fallback = defaultDirs(env({ platform: "win32", home: "C:/Users/u" }));
    expect(fallback.data.replaceAll("\\", "/")).toBe("C:/Users/u/AppData/Local/Easy Diffusion");
  });
});

describe("resolvePaths", () => {
  test("--data-dir puts everything under one folder and beats ED_HOME", () => {
    const p = resolvePaths(env({ edHome: "/ed" }), { dataDir: "/dd" });
    for (const [key, value] of Object.entries(p)) expect(value.startsWith("/dd"), key).toBe(true);
    expect(p.config).toBe("/dd/config.yaml");
    expect(p.lock).toBe("/dd/instance.lock");
    expect(p.log).toBe("/dd/logs/easy-diffusion.log");
  });

  test("ED_HOME works like --data-dir", () => {
    expect(resolvePaths(env({ edHome: "/ed" })).models).toBe("/ed/models");
  });

  test("--config overrides only the config file", () => {
    const p = resolvePaths(env({}), { config: "/etc/ed.yaml" });
    expect(p.config).toBe("/etc/ed.yaml");
    expect(p.data).toBe("/home/u/.local/share/easy-diffusion");
  });

  test("model folders keep Easy Diffusion's names", () => {
    const p = resolvePaths(env({}), { dataDir: "/d" });
    expect(MODEL_KINDS).toContain("stable-diffusion");
    expect(modelDir(p, "lora")).toBe("/d/models/lora");
  });
});

describe("readEnv", () => {
  test("reads the variables it knows, empty strings count as unset", () => {
    const e = readEnv({ ED_HOME: "", HOME: "/h", XDG_DATA_HOME: "/xd", DISPLAY: ":1", CI: "1", ED_LOG_LEVEL: "debug" });
    expect(e.edHome).toBeUndefined();
    expect(e.home).toBe("/h");
    expect(e.xdgDataHome).toBe("/xd");
    expect(e.display).toBe(":1");
    expect(e.waylandDisplay).toBeUndefined();
    expect(e.ci).toBe(true);
    expect(e.logLevel).toBe("debug");
    expect(readEnv({ USERPROFILE: "C:/u" }).home).toBe("C:/u");
  });
});
