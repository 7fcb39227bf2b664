/** The window's pure parts: the host protocol, the self-spawn command, the display check, failure reasons. */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { blankPage } from "../../launcher/window/blank-page";
import { earlyWindow } from "../../launcher/window/early-window";
import { defaultConfig } from "../../core/config/schema";
import { hostArgs, parseHostArgs } from "../../launcher/window/host";
import { failureReason, windowUnavailableReason } from "../../launcher/window/open";
import { isGuiProgram, noWindowMessage } from "../../launcher/window/message-box";
import { installedVersion } from "../../launcher/window/webview2";
import { encodeLine, LineReader, selfCommand, type HostEvent } from "../../launcher/window/protocol";

describe("protocol", () => {
  test("lines split across chunks come out whole; banners and junk are skipped", () => {
    const r = new LineReader<HostEvent>();
    const line = encodeLine({ event: "ready", ms: 12 });
    expect(r.push("[webview-napi] Detected a non-Node runtime\n" + line.slice(0, 7))).toEqual([]);
    expect(r.push(line.slice(7) + '{"event":"clo')).toEqual([{ event: "ready", ms: 12 }]);
    expect(r.push('sed"}\n{broken\n')).toEqual([{ event: "closed" }]);
  });

  test("the compiled executable re-runs itself directly; the source needs its script", () => {
    expect(selfCommand("/opt/ed/easy-diffusion", "/$bunfs/root/easy-diffusion", ["__window-host"])).toEqual(["/opt/ed/easy-diffusion", "__window-host"]);
    expect(selfCommand("C:\\ed\\easy-diffusion.exe", "B:\\~BUN\\root\\easy-diffusion.exe", ["x"])).toEqual(["C:\\ed\\easy-diffusion.exe", "x"]);
    expect(selfCommand("/usr/bin/bun", "/src/launcher/main.ts", ["x"])).toEqual(["/usr/bin/bun", "/src/launcher/main.ts", "x"]);
  });

  test("host arguments round-trip", () => {
    const spec = { url: "http://127.0.0.1:9000/", title: "Easy Diffusion", width: 1280, height: 800, cacheDir: "/data/cache" };
    expect(parseHostArgs(hostArgs(spec))).toEqual(spec);
    // Started early, the host gets its URL later as an `open` command.
    const early = { url: undefined, title: "Easy Diffusion", width: 1280, height: 800 };
    expect(hostArgs(early)).not.toContain("--url");
    expect(parseHostArgs(hostArgs(early))).toEqual(early);
  });
});

describe("windowUnavailableReason", () => {
  test("Linux needs X11 or Wayland; other systems always try", () => {
    expect(windowUnavailableReason({ platform: "linux" })).toContain("DISPLAY");
    expect(windowUnavailableReason({ platform: "linux", display: ":0" })).toBeUndefined();
    expect(windowUnavailableReason({ platform: "linux", waylandDisplay: "wayland-0" })).toBeUndefined();
    expect(windowUnavailableReason({ platform: "darwin" })).toBeUndefined();
    expect(windowUnavailableReason({ platform: "win32" })).toBeUndefined();
  });
});

describe("failureReason", () => {
  test("a Rust panic gives its message line, not the backtrace", () => {
    const stderr = [
      "[webview-napi] Detected a non-Node runtime (bun/deno). Forcing software GL",
      "thread 'main' panicked at src/lib.rs:10:5:",
      "Failed to initialize gtk backend!",
      "stack backtrace:",
      "   0: rust_begin_unwind",
    ].join("\n");
    expect(failureReason(stderr, 101)).toBe("Failed to initialize gtk backend!");
  });

  test("otherwise the last line, or the exit code", () => {
    expect(failureReason("loading\nerror while loading shared libraries: libwebkit2gtk-4.1.so.0\n", 127)).toContain("libwebkit2gtk");
    expect(failureReason("", 139)).toBe("the window process exited with code 139");
  });
});

describe("the Windows GUI program's message box", () => {
  test("its words: why, the address to open by hand, and what OK does", () => {
    const text = noWindowMessage("http://127.0.0.1:9000/", "Could not open the app window (no WebView2)", false);
    expect(text).toStartWith("Could not open the app window (no WebView2).\n");
    expect(text).toContain("running at\nhttp://127.0.0.1:9000/\n");
    expect(text).toContain("No browser could be opened");
    expect(text).toContain("Click OK to stop it.");
    expect(noWindowMessage("http://127.0.0.1:9000/", "x", true)).toContain("If no browser opened, open it in your browser by hand.");
  });

  test("only a Windows program marked GUI gets one", () => {
    expect(isGuiProgram(process.execPath, "linux")).toBe(false);
    expect(isGuiProgram("/nonexistent.exe", "win32")).toBe(false);
    // This test runner is an ELF file, not a PE: no box.
    expect(isGuiProgram(process.execPath, "win32")).toBe(false);
  });

  test("a WebView2 version counts when some key has one that is not empty or 0.0.0.0", () => {
    expect(installedVersion([null, null, null])).toBeNull();
    expect(installedVersion(["", "0.0.0.0", null])).toBeNull();
    expect(installedVersion([null, "", "131.0.2903.70"])).toBe("131.0.2903.70");
  });
});

describe("the blank page the window maps on", () => {
  test("the app's background colour per theme, both for system, as a data URL", () => {
    const page = (theme: "dark" | "light" | "system") => decodeURIComponent(blankPage(theme).replace(/^data:text\/html,/, ""));
    expect(blankPage("dark")).toStartWith("data:text/html,");
    expect(page("dark")).toContain("background:#202124");
    expect(page("light")).toContain("background:#f7f7f8");
    expect(page("system")).toContain("@media (prefers-color-scheme: dark){html{background:#202124}}");
    // The same colours as the shell's theme (ui/src/theme.css --ed-body), so nothing flashes.
    const theme = readFileSync(join(import.meta.dir, "../../ui/src/theme.css"), "utf8");
    expect(theme).toContain("--ed-body: #202124;");
    expect(theme).toContain("--ed-body: #f7f7f8;");
  });
});

describe("the window before the config is read (early-window.ts)", () => {
  test("opens unless config.yaml turns it off or another start holds the data folder; the theme as the schema reads it", () => {
    expect(earlyWindow(undefined, false)).toEqual({ open: true, theme: "dark" });
    expect(earlyWindow({ ui: { theme: "light" } }, false)).toEqual({ open: true, theme: "light" });
    expect(earlyWindow({ ui: { theme: "system", open_window: true } }, false)).toEqual({ open: true, theme: "system" });
    // Invalid values fall back to the schema's defaults (open, dark), as config/store.ts does.
    expect(earlyWindow({ ui: { theme: "purple", open_window: "no" } }, false)).toEqual({ open: true, theme: "dark" });
    expect(earlyWindow("not a mapping", false)).toEqual({ open: true, theme: "dark" });
    expect(earlyWindow({ ui: { open_window: false } }, false)).toEqual({ open: false });
    expect(earlyWindow({ ui: { theme: "light" } }, true)).toEqual({ open: false });
  });

  test("the schema agrees on the two keys' defaults", () => {
    const ui = defaultConfig().ui;
    expect([ui.open_window, ui.theme]).toEqual([true, "dark"]);
  });
});
