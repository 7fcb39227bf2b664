/** The window's pure parts: the host protocol, the self-spawn command, the display check, failure reasons. */
import { describe, expect, test } from "bun:test";
import { hostArgs, parseHostArgs } from "../../launcher/window/host";
import { failureReason, windowUnavailableReason } from "../../launcher/window/open";
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
