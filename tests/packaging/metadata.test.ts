/**
 * The files every package carries, checked as the tools that read them do:
 * the .desktop file (desktop-file-validate), AppStream metainfo (appstreamcli),
 * the deb control file (dpkg-deb), the macOS Info.plist, the Flatpak manifest
 * and its entry script.
 */
import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import pkg from "../../package.json";
import { APP_ID, appInfo, debianVersion, numericVersion } from "../../packaging/app";
import { debControl } from "../../packaging/deb/control";
import { loadFormatConfig } from "../../packaging/easyinstaller/invocation";
import { renderPngs } from "../../packaging/icons/render";
import { infoPlist } from "../../packaging/macos/bundle";
import { DESKTOP_FILE, METAINFO_FILE, metainfoFor, parseDesktopFile } from "../../packaging/linux/metainfo";
import { FLATPAK_MANIFEST, stageFlatpak } from "../../packaging/linux/stage";
import { need } from "../kit/needs";

const app = appInfo();
/** A validator on PATH (tests/kit/needs.ts: skipped where it is missing, a failure in CI); `pkg` is its Debian package. */
const tool = (name: string, pkg: string) => need(name, !!Bun.which(name), `sudo apt install ${pkg}`);

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "ed-pkg-"));
}

describe("desktop file", () => {
  const entry = parseDesktopFile(readFileSync(DESKTOP_FILE, "utf8"))["Desktop Entry"]!;

  test("launches the window (no --server) with the app's icon", () => {
    expect(entry.Type).toBe("Application");
    expect(entry.Name).toBe("Easy Diffusion");
    expect(entry.Exec).toBe(app.command);
    expect(entry.Icon).toBe(app.command);
    expect(entry.Terminal).toBe("false");
    expect(entry.Categories!.split(";")).toContain(app.category);
  });

  test.skipIf(!tool("desktop-file-validate", "desktop-file-utils"))("passes desktop-file-validate", () => {
    const r = Bun.spawnSync(["desktop-file-validate", DESKTOP_FILE], { stderr: "pipe", stdout: "pipe" });
    expect(r.exitCode, r.stdout.toString() + r.stderr.toString()).toBe(0);
  });
});

describe("AppStream metainfo", () => {
  test("names the app id, the desktop file and the binary", () => {
    const xml = readFileSync(METAINFO_FILE, "utf8");
    expect(xml).toContain(`<id>${APP_ID}</id>`);
    expect(xml).toContain(`<launchable type="desktop-id">${app.command}.desktop</launchable>`);
    expect(xml).toContain(`<binary>${app.command}</binary>`);
  });

  test("gets a release line for the packaged version, once", () => {
    const xml = metainfoFor("4.1.0", "2027-02-03");
    expect(xml).toContain('<release version="4.1.0" date="2027-02-03"/>');
    expect(xml.indexOf("4.1.0")).toBeLessThan(xml.indexOf(`version="${pkg.version}"`));
    expect(metainfoFor("4.1.0", "2027-02-03", xml)).toBe(xml);
    expect(() => metainfoFor("4.1.0", "03/02/2027")).toThrow(/YYYY-MM-DD/);
    expect(() => metainfoFor("4.1.0", "2027-02-03", "<component/>")).toThrow(/releases/);
  });

  test.skipIf(!tool("appstreamcli", "appstream"))("passes appstreamcli validate, stamped with a new version", () => {
    const dir = tmp();
    try {
      const file = join(dir, `${APP_ID}.metainfo.xml`);
      writeFileSync(file, metainfoFor("4.1.0-beta.2", "2027-02-03"));
      const r = Bun.spawnSync(["appstreamcli", "validate", "--no-net", file], { stderr: "pipe", stdout: "pipe" });
      expect(r.exitCode, r.stdout.toString() + r.stderr.toString()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("deb control file", () => {
  const depends = loadFormatConfig("deb").depends;

  test("comes from package.json and declares WebKitGTK and GTK", () => {
    const control = debControl({ app, arch: "amd64", installedBytes: 120_000_000, depends });
    expect(control).toContain(`Package: ${pkg.name}\n`);
    expect(control).toContain(`Version: ${debianVersion(pkg.version)}\n`);
    expect(control).toContain("Architecture: amd64\n");
    expect(control).toContain("Installed-Size: 117188\n");
    expect(control).toContain("Depends: libwebkit2gtk-4.1-0, libgtk-3-0\n");
    expect(control).toMatch(/^Maintainer: .+ <.+@.+>$/m);
    expect(control.endsWith("\n")).toBe(true);
  });

  test("formats a long description as Debian wants (leading space, ' .' between paragraphs)", () => {
    const control = debControl({ app: { ...app, description: "First  para\nwraps.\n\nSecond." }, arch: "arm64", installedBytes: 1, depends });
    expect(control).toContain(`Description: ${app.summary}\n First para wraps.\n .\n Second.\n`);
  });

  test("refuses empty fields", () => {
    expect(() => debControl({ app, arch: "amd64", installedBytes: 1, depends: [] })).toThrow(/Depends/);
  });

  test("pre-releases sort before the release", () => {
    expect(debianVersion("4.0.0-alpha.1")).toBe("4.0.0~alpha.1-1");
  });

  test.skipIf(!tool("dpkg", "dpkg"))("dpkg agrees that the pre-release sorts first", () => {
    const r = Bun.spawnSync(["dpkg", "--compare-versions", debianVersion("4.0.0-alpha.1"), "lt", debianVersion("4.0.0")]);
    expect(r.exitCode).toBe(0);
  });
});

describe("macOS Info.plist", () => {
  test("names the executable, icon, id and a numeric version", () => {
    const plist = infoPlist({ ...app, version: "4.2.0-rc.1" });
    const value = (key: string) => new RegExp(`<key>${key}</key>\\s*<string>([^<]*)</string>`).exec(plist)?.[1];
    expect(value("CFBundleExecutable")).toBe(app.command);
    expect(value("CFBundleIdentifier")).toBe(APP_ID);
    expect(value("CFBundleIconFile")).toBe(`${app.command}.icns`);
    expect(value("CFBundlePackageType")).toBe("APPL");
    expect(value("CFBundleShortVersionString")).toBe("4.2.0");
    expect(value("CFBundleVersion")).toMatch(/^\d+(\.\d+)*$/);
    expect(plist).toContain("<key>NSHighResolutionCapable</key>\n\t<true/>");
  });

  test("numeric versions", () => {
    expect(numericVersion("4.0.0-alpha.1", 3)).toBe("4.0.0");
    expect(numericVersion("4.1", 4)).toBe("4.1.0.0");
  });
});

describe("Flatpak", () => {
  const manifest = parse(readFileSync(FLATPAK_MANIFEST, "utf8"));

  test("runs on the GNOME runtime with loopback networking, GPUs, display and the user's folders", () => {
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.runtime).toBe("org.gnome.Platform");
    expect(manifest.sdk).toBe("org.gnome.Sdk");
    expect(manifest.command).toBe(app.command);
    const args: string[] = manifest["finish-args"];
    for (const a of ["--share=network", "--device=dri", "--socket=wayland", "--socket=fallback-x11"]) expect(args).toContain(a);
    expect(args).toContain("--filesystem=xdg-data/easy-diffusion:create");
    expect(args).toContain("--filesystem=xdg-config/easy-diffusion:create");
  });

  test("every source the manifest names is in the staged folder", async () => {
    const dir = tmp();
    try {
      const exe = join(dir, "fake-exe");
      writeFileSync(exe, "#!/bin/sh\n");
      const iconsDir = join(dir, "icons-in");
      mkdirSync(iconsDir);
      const pngs = await renderPngs([16, 24, 32, 48, 64, 128, 256, 512]);
      for (const [s, png] of pngs) writeFileSync(join(iconsDir, `easy-diffusion-${s}.png`), png);
      writeFileSync(join(iconsDir, "easy-diffusion.svg"), "<svg/>");
      const staged = stageFlatpak(join(dir, "stage"), { app, exe, pngs, date: "2027-01-01", iconsDir });
      const sources = manifest.modules[0].sources as { path: string }[];
      for (const s of sources) expect(Bun.file(join(staged, s.path)).size, s.path).toBeGreaterThan(0);
      // Icons the build commands install, by size.
      const loop = (manifest.modules[0]["build-commands"] as string[]).find((c) => c.startsWith("for s in"))!;
      for (const size of loop.match(/for s in ([\d ]+);/)![1]!.trim().split(" ")) {
        expect(Bun.file(join(staged, "icons", `easy-diffusion-${size}.png`)).size).toBeGreaterThan(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the entry script points the app at the host's data and config folders; user flags win", () => {
    const dir = tmp();
    try {
      mkdirSync(join(dir, "bin"));
      mkdirSync(join(dir, "lib", "easy-diffusion"), { recursive: true });
      const wrapper = join(dir, "bin", "easy-diffusion");
      writeFileSync(wrapper, readFileSync(join(FLATPAK_MANIFEST, "..", "easy-diffusion-flatpak.sh")));
      const fake = join(dir, "lib", "easy-diffusion", "easy-diffusion");
      writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n');
      chmodSync(wrapper, 0o755);
      chmodSync(fake, 0o755);
      const run = (args: string[], env: Record<string, string> = {}) =>
        Bun.spawnSync([wrapper, ...args], { env: { PATH: "/usr/bin:/bin", HOME: "/home/u", ...env }, stdout: "pipe" })
          .stdout.toString()
          .trim()
          .split("\n");
      expect(run(["--server"])).toEqual(["--data-dir", "/home/u/.local/share/easy-diffusion", "--config", "/home/u/.config/easy-diffusion/config.yaml", "--server"]);
      expect(run(["--server"], { HOST_XDG_DATA_HOME: "/d", HOST_XDG_CONFIG_HOME: "/c" }).slice(0, 4)).toEqual(["--data-dir", "/d/easy-diffusion", "--config", "/c/easy-diffusion/config.yaml"]);
      expect(run(["engine", "import", "x.zip"])).toEqual(["engine", "import", "--data-dir", "/home/u/.local/share/easy-diffusion", "--config", "/home/u/.config/easy-diffusion/config.yaml", "x.zip"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
