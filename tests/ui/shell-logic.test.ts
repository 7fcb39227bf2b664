/** The shell's pure parts: status bar text, tab names, what ui-state saves, the settings form model, the registry's checks. */
import { describe, expect, test } from "bun:test";
import { configJsonSchema } from "../../core/config/schema";
import { TabAppRegistry } from "../../ui/src/apps/registry";
import { fieldsOf, formatValue, groupsOf, parseInput, patchOf, searchGroups, withDeviceChoices } from "../../ui/src/apps/settings/settings-model";
import { gb, loadText, workState } from "../../ui/src/shell/status-format";
import { instanceTitle, newTabId } from "../../ui/src/shell/tab-naming";
import { toUiState } from "../../ui/src/shell/ui-state";

const GiB = 1024 ** 3;

describe("status bar text", () => {
  test("work state", () => {
    expect(workState(undefined)).toEqual({ text: "Ready", tone: "ready" });
    expect(workState({ running: 0, total: 0, paused: false })).toEqual({ text: "Ready", tone: "ready" });
    expect(workState({ running: 4, total: 10, paused: false })).toEqual({ text: "Running: 4 / 10", tone: "busy" });
    expect(workState({ running: 0, total: 3, paused: true })).toEqual({ text: "Paused: 0 / 3", tone: "paused" });
  });

  test("GB like the mockup: one decimal below 10, whole above", () => {
    expect(gb(8.4 * GiB)).toBe("8.4 GB");
    expect(gb(0.04 * GiB)).toBe("0.0 GB");
    expect(gb(27.4 * GiB)).toBe("27 GB");
    expect(gb(9.97 * GiB)).toBe("10 GB");
  });

  test("machine load, with and without a VRAM figure", () => {
    expect(loadText({ ramUsed: 27 * GiB, ramTotal: 64 * GiB, vramUsed: 8.4 * GiB, vramTotal: 12 * GiB }).text).toBe("RAM: 27 GB | VRAM: 8.4 GB used");
    expect(loadText({ ramUsed: 2 * GiB, ramTotal: 8 * GiB, vramUsed: null, vramTotal: null }).text).toBe("RAM: 2.0 GB used | VRAM: –");
    expect(loadText(undefined).text).toBe("RAM: – | VRAM: –");
  });
});

describe("tabs", () => {
  test("instance titles take the lowest free number", () => {
    expect(instanceTitle("Image", [])).toBe("Image 1");
    expect(instanceTitle("Image", ["Image 1", "Image 3"])).toBe("Image 2");
    expect(instanceTitle("Image", ["Image 1", "Image 2", "Settings", undefined])).toBe("Image 3");
  });

  test("tab ids are short and distinct", () => {
    expect(newTabId(1, 0)).not.toBe(newTabId(1, 0.5));
    expect(newTabId().length).toBeLessThanOrEqual(64);
  });

  test("ui-state leaves incognito tabs out and never points at one", () => {
    const tabs = [
      { id: "a", app: "image", title: "Image 1", incognito: false, state: { prompt: "x" } },
      { id: "b", app: "image", title: "Image 2", incognito: true, state: { prompt: "secret" } },
    ];
    expect(toUiState(tabs, "b")).toEqual({ tabs: [{ id: "a", app: "image", title: "Image 1", state: { prompt: "x" } }], active: "a" });
    expect(toUiState(tabs, "a").active).toBe("a");
    expect(toUiState([tabs[1]!], "b")).toEqual({ tabs: [], active: null });
  });
});

describe("settings form model", () => {
  const groups = groupsOf(configJsonSchema() as never);
  const fields = fieldsOf(configJsonSchema() as never);
  const byPath = (p: string) => fields.find((f) => f.path === p)!;
  const shown = (q: string) => Object.fromEntries(searchGroups(groups, q).map(({ group, card }) => [group.id, [...group.fields.map((f) => f.path), ...(card ? ["(card)"] : [])]]));

  test("every config key becomes a field of the right kind with its limits", () => {
    expect(groups.map((g) => g.title)).toEqual(["Image defaults", "Models and downloads", "Engine and GPU", "Other devices", "Workers", "Appearance", "Plugins", "Advanced"]);
    expect(byPath("models.extra_folders").kind).toBe("list");
    expect(byPath("models.idle_unload_minutes")).toMatchObject({ kind: "integer", min: 0, default: 0 });
    expect(byPath("server.port")).toMatchObject({ kind: "integer", min: 1, max: 65535, default: 9000, label: "Port" });
    expect(byPath("ui.open_window").kind).toBe("boolean");
    expect(byPath("engine.backend")).toMatchObject({ kind: "enum", options: ["auto", "cuda", "vulkan", "rocm", "metal", "cpu"] });
    expect(byPath("server.allowed_hosts").kind).toBe("list");
    expect(byPath("engine.release_repo").kind).toBe("string");
    expect(byPath("engine.flash_attention").label).toBe("Flash attention");
    expect(byPath("server.cors_origins").label).toBe("Web pages allowed to call the API");
    expect(byPath("outputs.format").optionLabels).toEqual({ png: "PNG", jpeg: "JPEG", webp: "WebP" });
    expect(byPath("ui.theme").optionLabels).toEqual({ dark: "Dark", light: "Light", system: "System" });
  });

  test("groups: each key once, the LAN switch only in its card, network and tuning keys under Advanced", () => {
    const grouped = groups.flatMap((g) => g.fields.map((f) => f.path));
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(grouped).not.toContain("server.allow_lan");
    expect([...grouped, "server.allow_lan"].sort()).toEqual(fields.map((f) => f.path).sort());
    const advanced = groups.find((g) => g.id === "advanced")!;
    expect(advanced.folded).toBe(true);
    for (const p of ["server.cors_origins", "server.allowed_hosts", "server.host", "engine.api_base", "engine.release_repo", "engine.mmap", "engine.threads"]) expect(advanced.fields.map((f) => f.path)).toContain(p);
    expect(groups.find((g) => g.id === "devices")!.card).toBe("lan");
  });

  test("search matches label, help and key, every word; cards by their words; nothing for nonsense", () => {
    expect(shown("port")).toEqual({ devices: ["server.port"] });
    expect(shown("CORS")).toEqual({ advanced: ["server.cors_origins"] });
    expect(shown("huggingface_token")).toEqual({ models: ["models.huggingface_token"] });
    expect(shown("tile size")).toEqual({ engine: ["engine.vae_tile_size"] });
    // A login link's QR code: this computer's (Other devices) and another computer's (Workers).
    expect(shown("qr")).toEqual({ devices: ["(card)"], workers: ["(card)"] });
    expect(shown("pairing token")).toEqual({ workers: ["(card)"] });
    expect(shown("zzz nothing")).toEqual({});
    expect(Object.keys(shown(""))).toHaveLength(groups.length);
  });

  test("engine.memory and engine.speed are choices; engine.device becomes one when the engine lists devices", () => {
    expect(byPath("engine.memory")).toMatchObject({ kind: "enum", options: ["auto", "fastest", "low", "very_low"], default: "auto" });
    expect(byPath("engine.speed")).toMatchObject({ kind: "enum", options: ["quality", "balanced", "fast"], default: "quality" });
    expect(byPath("engine.device").kind).toBe("string");
    const device = (list: string[], saved: string) => withDeviceChoices(groups, list, saved).flatMap((g) => g.fields).find((f) => f.path === "engine.device")!;
    expect(device(["CUDA0", "CPU"], "")).toMatchObject({ kind: "enum", options: ["", "CUDA0", "CPU"], optionLabels: { "": "Automatic", CUDA0: "CUDA0", CPU: "CPU" } });
    // A saved name this engine does not list stays choosable (it fails the start with unknown_device, saying so).
    expect(device(["CPU"], "CUDA1").options).toEqual(["", "CPU", "CUDA1"]);
    expect(device([], "").kind).toBe("string");
  });

  test("inputs parse to values and back", () => {
    expect(parseInput(byPath("server.allowed_hosts"), " a.local, ,b.lan ")).toEqual(["a.local", "b.lan"]);
    expect(formatValue(byPath("server.allowed_hosts"), ["a", "b"])).toBe("a\nb");
    // Folders one per line, so a comma in a folder name stays.
    expect(parseInput(byPath("models.extra_folders"), "/mnt/a, b\n\n C:\\SD\\webui \n")).toEqual(["/mnt/a, b", "C:\\SD\\webui"]);
    expect(byPath("models.civitai_token").secret).toBe(true);
    expect(byPath("models.huggingface_token").secret).toBe(true);
    expect(byPath("models.civitai_base").secret).toBeUndefined();
    expect(parseInput(byPath("server.port"), "9001")).toBe(9001);
    expect(parseInput(byPath("server.port"), "")).toBeNull();
    expect(parseInput(byPath("ui.open_window"), false)).toBe(false);
  });

  test("the patch holds only keys that differ from the saved config", () => {
    const config = { server: { port: 9000, allowed_hosts: [] }, engine: { threads: 0 } };
    const edits = new Map<string, unknown>([
      ["server.port", 9000],
      ["server.allowed_hosts", ["x"]],
      ["engine.threads", 4],
    ]);
    expect(patchOf(config, edits, fields)).toEqual({ server: { allowed_hosts: ["x"] }, engine: { threads: 4 } });
  });
});

describe("tab app registry", () => {
  test("checks what plugins register and tells listeners", () => {
    const r = new TabAppRegistry();
    let changes = 0;
    r.addEventListener("change", () => changes++);
    const off = r.registerTabApp({ id: "p.one", title: "One", icon: "image", singleton: true, tag: "x-one" });
    expect(() => r.registerTabApp({ id: "p.one", title: "Again", icon: "image", singleton: true, tag: "x-one" })).toThrow(/already registered/);
    expect(() => r.registerTabApp({ id: "p.two", title: "Two", icon: "image", singleton: false })).toThrow(/tag or a create/);
    expect(() => r.registerPluginMenuItem({ id: "m", label: "M" })).toThrow(/app id or an action/);
    r.registerPluginMenuItem({ id: "m", label: "M", app: "p.one" });
    expect(r.pluginItems.map((p) => p.id)).toEqual(["m"]);
    off();
    expect(r.get("p.one")).toBeUndefined();
    expect(changes).toBe(3);
  });
});
