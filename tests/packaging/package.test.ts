/**
 * `bun run package` without the slow parts: argument parsing, the
 * easyinstaller configs and command lines, icons, and whole targets staged
 * from a tiny stand-in executable (real zip, real makensis when installed,
 * easyinstaller formats skipped with a reason, never faked).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yauzl from "yauzl";
import { appInfo } from "../../packaging/app";
import { easyinstallerInvocation, loadFormatConfig, shellLine } from "../../packaging/easyinstaller/invocation";
import { icnsFromPngs, icoFromPngs, renderPng, renderPngs } from "../../packaging/icons/render";
import { packageTarget } from "../../packaging/package-target";
import { FORMATS, targetInfo, TARGETS } from "../../packaging/targets";
import { readSubsystem, withSubsystem, NotAPeFileError } from "../../launcher/system/pe-subsystem";
import { parsePackageArgs } from "../../scripts/package";
import { need } from "../kit/needs";

const app = appInfo();
const dir = mkdtempSync(join(tmpdir(), "ed-package-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pngSize(png: Uint8Array): [number, number] {
  expect([...png.slice(1, 4)].map((c) => String.fromCharCode(c)).join("")).toBe("PNG");
  const view = new DataView(png.buffer, png.byteOffset);
  return [view.getUint32(16), view.getUint32(20)];
}

describe("bun run package arguments", () => {
  test("default: this machine's target, every format it has", () => {
    expect(parsePackageArgs([], "linux-x64")).toEqual({ targets: ["linux-x64"], formats: ["deb", "rpm", "appimage", "flatpak"], build: true });
  });

  test("targets and formats, repeated, comma-separated or all", () => {
    const o = parsePackageArgs(["--target", "windows-x64,darwin-arm64", "--format", "zip", "--format", "dmg", "--no-build"], "linux-x64");
    expect(o).toEqual({ targets: ["windows-x64", "darwin-arm64"], formats: ["zip", "dmg"], build: false });
    expect(parsePackageArgs(["--target", "all"], undefined).targets).toEqual([...TARGETS]);
  });

  test("bad input is refused with a message", () => {
    expect(() => parsePackageArgs(["--target", "linux-riscv"], "linux-x64")).toThrow(/unknown target "linux-riscv"/);
    expect(() => parsePackageArgs(["--format", "snap"], "linux-x64")).toThrow(/unknown format "snap"/);
    expect(() => parsePackageArgs(["--format", "dmg"], "linux-x64")).toThrow(/no target among linux-x64/);
    expect(() => parsePackageArgs([], undefined)).toThrow(/pass --target/);
    expect(() => parsePackageArgs(["--bogus"], "linux-x64")).toThrow();
  });
});

describe("easyinstaller", () => {
  test("every format has a valid config for its OS", () => {
    for (const format of FORMATS) {
      const config = loadFormatConfig(format);
      const os = TARGETS.map(targetInfo).find((t) => t.formats.includes(format))!.os;
      expect(config.os).toBe(os);
    }
    expect(loadFormatConfig("deb").depends).toEqual(["libwebkit2gtk-4.1-0", "libgtk-3-0"]);
    expect(loadFormatConfig("rpm").depends).toContain("webkit2gtk4.1");
  });

  test("a config with a typo is refused with the file's name", () => {
    writeFileSync(join(dir, "deb.yaml"), "type: deb\nos: linux\nsource: x\nexec: x\nicon: x\narch: {x64: a, arm64: b}\noutput: x-{version}\ndepend: [a]\n");
    expect(() => loadFormatConfig("deb", dir)).toThrow(/deb\.yaml/);
  });

  test("the command line carries every flag, with the format's own version and arch names", () => {
    const inv = easyinstallerInvocation({ app, target: "linux-arm64", format: "rpm", config: loadFormatConfig("rpm"), stageDir: "/s/linux-arm64", outDir: "/s" });
    const flag = (name: string) => inv.argv[inv.argv.indexOf(name) + 1];
    expect(inv.argv[0]).toBe("easyinstaller");
    expect(flag("--source")).toBe("/s/linux-arm64/linux-root");
    expect(flag("--os")).toBe("linux");
    expect(flag("--arch")).toBe("aarch64");
    expect(flag("--type")).toBe("rpm");
    expect(flag("--output")).toBe(`/s/easy-diffusion-${app.version.replace(/-/g, "~")}.aarch64.rpm`);
    expect(flag("--app-name")).toBe("Easy Diffusion");
    expect(flag("--app-version")).toBe(app.version.replace(/-/g, "~"));
    expect(flag("--app-description")).toBe(app.summary);
    expect(flag("--app-maintainer")).toBe(app.maintainer);
    expect(flag("--app-category")).toBe("Graphics");
    expect(flag("--app-exec")).toBe("/usr/bin/easy-diffusion");
    expect(flag("--app-icon")).toBe("/s/linux-arm64/icons/easy-diffusion-512.png");
    expect(inv.argv.length).toBe(1 + 2 * 12);
  });

  test("a format of another OS is refused", () => {
    expect(() => easyinstallerInvocation({ app, target: "windows-x64", format: "deb", config: loadFormatConfig("deb"), stageDir: "/s", outDir: "/s" })).toThrow(/linux format/);
  });

  test("shell lines quote what needs quoting and run as written", () => {
    const line = shellLine(["printf", "%s|", "Easy Diffusion", "it's", "a<b>"]);
    expect(line).toBe(`printf '%s|' 'Easy Diffusion' 'it'\\''s' 'a<b>'`);
    expect(Bun.spawnSync(["sh", "-c", line], { stdout: "pipe" }).stdout.toString()).toBe("Easy Diffusion|it's|a<b>|");
  });
});

describe("icons", () => {
  test("rendered from the SVG at each size", async () => {
    const pngs = await renderPngs([16, 48, 256]);
    for (const [size, png] of pngs) expect(pngSize(png)).toEqual([size, size]);
  });

  test(".ico and .icns index their PNG entries", async () => {
    const pngs = await renderPngs([16, 32, 256, 512]);
    const ico = icoFromPngs(pngs);
    const view = new DataView(ico.buffer);
    expect(view.getUint16(2, true)).toBe(1);
    expect(view.getUint16(4, true)).toBe(3); // 512 does not fit an .ico
    const last = 6 + 16 * 2;
    expect(ico[last]).toBe(0); // 256 is written as 0
    const offset = view.getUint32(last + 12, true);
    expect(pngSize(ico.slice(offset, offset + view.getUint32(last + 8, true)))).toEqual([256, 256]);

    const icns = icnsFromPngs(pngs);
    const iv = new DataView(icns.buffer);
    expect(new TextDecoder().decode(icns.slice(0, 4))).toBe("icns");
    expect(iv.getUint32(4)).toBe(icns.length);
    const types: string[] = [];
    for (let at = 8; at < icns.length; at += iv.getUint32(at + 4)) types.push(new TextDecoder().decode(icns.slice(at, at + 4)));
    expect(types).toEqual(["icp4", "icp5", "ic08", "ic09"]);
  });

  test("the master is a square SVG", async () => {
    expect(pngSize(await renderPng(64))).toEqual([64, 64]);
  });
});

describe("whole targets from a stand-in executable", () => {
  const exe = join(dir, "standin");
  writeFileSync(exe, "#!/bin/sh\necho easy-diffusion 0\n".padEnd(4096, "#"), { mode: 0o755 });
  const lines: string[] = [];
  // For Windows, the smallest PE file: MZ, e_lfanew, "PE\0\0", COFF header, a PE32+ optional header (console).
  const pe = join(dir, "standin.exe");
  const peBytes = new Uint8Array(512);
  const v = new DataView(peBytes.buffer);
  peBytes.set([0x4d, 0x5a]);
  v.setUint32(0x3c, 0x80, true);
  v.setUint32(0x80, 0x50450000, false);
  v.setUint16(0x80 + 24, 0x20b, true);
  v.setUint16(0x80 + 24 + 68, 3, true);
  writeFileSync(pe, peBytes);
  const job = async (target: (typeof TARGETS)[number], formats: (typeof FORMATS)[number][], which: (t: string) => string | null) =>
    packageTarget({ app, target, exe: target.startsWith("windows") ? pe : exe, formats, outDir: join(dir, "out"), pngs: await renderPngs([16, 32, 64, 128, 256, 512]), date: "2027-01-01", which, log: (l) => lines.push(l) });

  test("macOS: the .app is staged; dmg and pkg are skipped without easyinstaller, with its command written down", async () => {
    const results = await job("darwin-arm64", ["dmg", "pkg"], () => null);
    expect(results.map((r) => [r.format, r.status])).toEqual([["dmg", "skipped"], ["pkg", "skipped"]]);
    expect(results[0]!.reason).toMatch(/easyinstaller is not on PATH/);
    const bundle = join(dir, "out", "darwin-arm64", "Easy Diffusion.app", "Contents");
    expect(readFileSync(join(bundle, "Info.plist"), "utf8")).toContain("<string>easy-diffusion</string>");
    expect(statSync(join(bundle, "MacOS", "easy-diffusion")).mode & 0o111).not.toBe(0);
    expect(existsSync(join(bundle, "Resources", "easy-diffusion.icns"))).toBe(true);
    const script = readFileSync(join(dir, "out", "darwin-arm64", "easyinstaller.sh"), "utf8");
    expect(script).toContain("--type dmg");
    expect(script).toContain("--type pkg");
    expect(existsSync(join(dir, "out", `Easy-Diffusion-${app.version}-mac-arm64.dmg`))).toBe(false);
  });

  test("an easyinstaller that exits 0 without writing the package is a failure, not a success", async () => {
    const fake = join(dir, "easyinstaller");
    writeFileSync(fake, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const results = await job("linux-x64", ["appimage"], (t) => (t === "easyinstaller" ? fake : null));
    expect(results[0]).toMatchObject({ status: "failed" });
    expect(results[0]!.reason).toMatch(/wrote no/);
    expect(lines.some((l) => l.startsWith("$ easyinstaller --source"))).toBe(true);
  });

  test("Linux: AppDir and Flatpak folder are staged", async () => {
    await job("linux-x64", [], () => null);
    const stage = join(dir, "out", "linux-x64");
    expect(readFileSync(join(stage, "AppDir", "AppRun")).length).toBeGreaterThan(0); // symlink to usr/bin
    expect(existsSync(join(stage, "AppDir", "easy-diffusion.desktop"))).toBe(true);
    expect(existsSync(join(stage, "flatpak", "io.github.easydiffusion.EasyDiffusion.yml"))).toBe(true);
    expect(existsSync(join(stage, "linux-root", "usr", "bin", "easy-diffusion"))).toBe(true);
  });

  test.skipIf(!need("rpmbuild", !!Bun.which("rpmbuild"), "sudo apt install rpm"))("Linux: the .rpm declares its Requires and lists only program files", async () => {
    const [rpm] = await job("linux-x64", ["rpm"], (t) => Bun.which(t));
    expect(rpm!.status, rpm!.reason).toBe("built");
    const q = (...args: string[]) => Bun.spawnSync(["rpm", "-qp", ...args, rpm!.file!], { stdout: "pipe", stderr: "pipe" }).stdout.toString();
    expect(q("--requires")).toContain("webkit2gtk4.1");
    expect(q("--queryformat", "%{VERSION}")).toBe(app.version.replace(/-/g, "~"));
    const files = q("--list").trim().split("\n");
    expect(files).toContain("/usr/bin/easy-diffusion");
    expect(files).toContain("/usr/share/applications/easy-diffusion.desktop");
    expect(files.every((f) => f.startsWith("/usr/"))).toBe(true);
    expect(q("--scripts").trim()).toBe("");
    expect(q("--queryformat", "%{PAYLOADCOMPRESSOR}")).toBe("zstd");
  }, 60_000);

  test("Windows: the zip holds the GUI program, the console program and the icon; NSIS builds when makensis is installed", async () => {
    const results = await job("windows-x64", ["zip", "nsis"], (t) => Bun.which(t));
    const zip = results.find((r) => r.format === "zip")!;
    expect(zip.status).toBe("built");
    const names = await new Promise<string[]>((resolve, reject) =>
      yauzl.open(zip.file!, { lazyEntries: false }, (err, z) => {
        if (err || !z) return reject(err);
        const out: string[] = [];
        z.on("entry", (e) => out.push(e.fileName)).on("end", () => resolve(out)).on("error", reject);
      }),
    );
    expect(names.sort()).toEqual(["Easy Diffusion/Easy Diffusion.exe", "Easy Diffusion/easy-diffusion.exe", "Easy Diffusion/easy-diffusion.ico"]);
    const staged = join(dir, "out", "windows-x64", "windows-app");
    expect(readSubsystem(readFileSync(join(staged, "Easy Diffusion.exe")))).toBe("gui");
    expect(readSubsystem(readFileSync(join(staged, "easy-diffusion.exe")))).toBe("console");
    const nsis = results.find((r) => r.format === "nsis")!;
    // Both branches check something: built with makensis, or skipped/failed with a reason without it.
    if (Bun.which("makensis")) {
      expect(nsis.status, nsis.reason).toBe("built");
      expect(new TextDecoder().decode(readFileSync(nsis.file!).slice(0, 2))).toBe("MZ");
    } else {
      expect(nsis.status).toBe(Bun.which("easyinstaller") ? "failed" : "skipped");
    }
  }, 60_000);
});

describe("PE subsystem", () => {
  test("a non-PE file is refused with a named error; setting the subsystem changes only those two bytes", () => {
    expect(() => withSubsystem(new TextEncoder().encode("#!/bin/sh\n".padEnd(200, "#")), "gui")).toThrow(NotAPeFileError);
    const bytes = new Uint8Array(512);
    const v = new DataView(bytes.buffer);
    bytes.set([0x4d, 0x5a]);
    v.setUint32(0x3c, 0x40, true);
    v.setUint32(0x40, 0x50450000, false);
    v.setUint16(0x40 + 24, 0x10b, true); // PE32 this time
    v.setUint16(0x40 + 24 + 68, 3, true);
    const gui = withSubsystem(bytes, "gui");
    expect(readSubsystem(gui)).toBe("gui");
    expect(readSubsystem(bytes)).toBe("console");
    expect([...gui].filter((b, i) => b !== bytes[i]).length).toBe(1);
  });
});
