/**
 * The GUI program (`Easy Diffusion.exe`: the same bytes, GUI subsystem) under
 * Wine, which has no WebView2 (issue 21): the window cannot open, so the app
 * opens the UI in the default browser instead. The browser chain is Windows'
 * own (`cmd /c start` → Wine's winebrowser → xdg-open); a stand-in xdg-open
 * first on PATH records the URL it was asked to open.
 */
import { afterAll, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withSubsystem } from "../../launcher/system/pe-subsystem";
import { freePort } from "../exe/exe";
import { findWindows, screenVariance, startXvfb } from "../exe/x11";
import { waitFor } from "../standin/fixtures";
import { needWine, releaseWineKit, wineKit } from "./wine";

const hasWine = needWine();
const dir = mkdtempSync(join(tmpdir(), "ed-wine-gui-"));
/** One wineKit() per file, paired with the one releaseWineKit() in afterAll. */
let kitOnce: ReturnType<typeof wineKit> | undefined;
const getKit = () => (kitOnce ??= wineKit());
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (kitOnce) await releaseWineKit();
});

test.skipIf(!hasWine)("without WebView2 the GUI program opens the UI in the browser and says so in its log", async () => {
  const kit = await getKit();
  const gui = join(dir, "Easy Diffusion.exe");
  writeFileSync(gui, withSubsystem(readFileSync(kit.exe), "gui"));
  copyFileSync(join(kit.exe, "..", "bcryptprimitives.dll"), join(dir, "bcryptprimitives.dll"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const opened = join(dir, "opened.txt");
  writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\necho "$1" >> "${opened}"\n`);
  chmodSync(join(bin, "xdg-open"), 0o755);
  const data = join(kit.driveC, "gui data");
  mkdirSync(data, { recursive: true });
  writeFileSync(join(data, "config.yaml"), "engine:\n  api_base: http://127.0.0.1:9/\n");
  const port = await freePort();
  const app = Bun.spawn(["wine", gui, "--port", String(port), "--data-dir", kit.win(data)], {
    env: { ...kit.env, PATH: `${bin}:${kit.env.PATH}` },
    stdout: "ignore",
    stderr: "ignore",
  });
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitFor("the browser asked to open the UI", () => existsSync(opened) && readFileSync(opened, "utf8").trim(), 60_000, 100);
    expect(readFileSync(opened, "utf8").trim()).toBe(url);
    expect((await fetch(new URL("api/health", url))).status).toBe(200);
    // A GUI program has no console: what happened is in its log file.
    const log = join(data, "logs", "easy-diffusion.log");
    await waitFor("the log line", () => existsSync(log) && readFileSync(log, "utf8").includes("window could not open"), 10_000, 100);
  } finally {
    app.kill("SIGKILL");
    await app.exited;
  }
}, 120_000);

test.skipIf(!hasWine)("without WebView2 on a desktop the GUI program says so in a message box with the address; its OK stops the app", async () => {
  const kit = await getKit();
  const gui = join(dir, "box", "Easy Diffusion.exe");
  mkdirSync(join(dir, "box", "bin"), { recursive: true });
  writeFileSync(gui, withSubsystem(readFileSync(kit.exe), "gui"));
  copyFileSync(join(kit.exe, "..", "bcryptprimitives.dll"), join(dir, "box", "bcryptprimitives.dll"));
  // No browser: xdg-open finds nothing to open with (exit 3), as on a desktop without one.
  writeFileSync(join(dir, "box", "bin", "xdg-open"), "#!/bin/sh\nexit 3\n");
  chmodSync(join(dir, "box", "bin", "xdg-open"), 0o755);
  const data = join(kit.driveC, "gui box data");
  mkdirSync(data, { recursive: true });
  writeFileSync(join(data, "config.yaml"), "engine:\n  api_base: http://127.0.0.1:9/\n");
  // Wine's desktop process (explorer.exe) lives as long as the prefix's wineserver: one started
  // without a display (the test above) would take this box's window too, and X would never see it.
  Bun.spawnSync(["wineserver", "-k"], { env: kit.env });
  Bun.spawnSync(["wineserver", "-w"], { env: kit.env });
  const x = await startXvfb();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const app = Bun.spawn(["wine", gui, "--port", String(port), "--data-dir", kit.win(data)], {
    env: { ...kit.env, DISPLAY: x.display, PATH: `${join(dir, "box", "bin")}:${kit.env.PATH}` },
    stdout: "ignore",
    stderr: "ignore",
  });
  try {
    const [box] = await waitFor("the message box", () => findWindows(x.display, "Easy Diffusion")[0] && findWindows(x.display, "Easy Diffusion"), 90_000, 200);
    // Its words (MessageBoxW's text is not readable through X): the log keeps what the box was given.
    const log = readFileSync(join(data, "logs", "easy-diffusion.log"), "utf8");
    expect(log).toContain("telling the user in a message box");
    expect(log).toContain(`the Microsoft Edge WebView2 Runtime is not installed`);
    expect(log).toContain(`Easy Diffusion is running at\\n${url}\\n`);
    expect(log).toContain("open it in your browser by hand");
    // The screenshot, for a person to look at: tmp/ed-wine-message-box.png.
    expect(screenVariance(x.display, join(tmpdir(), "ed-wine-message-box.png")).stddev).toBeGreaterThan(0.01);
    // While the box is up the app keeps serving the address it shows.
    expect((await fetch(new URL("api/health", url))).status).toBe(200);
    // OK, pressed as a user does (the box has the keyboard focus on its only button).
    const xdo = (args: string[]) => Bun.spawnSync(["xdotool", ...args], { env: { ...process.env, DISPLAY: x.display } }).exitCode;
    expect(xdo(["windowfocus", box!])).toBe(0);
    expect(xdo(["key", "Return"])).toBe(0);
    expect(await Promise.race([app.exited, Bun.sleep(30_000).then(() => "still running")])).toBe(0);
    expect(await fetch(new URL("api/health", url)).then(() => "answered", () => "refused")).toBe("refused");
  } finally {
    app.kill("SIGKILL");
    await app.exited;
    await x.stop();
  }
}, 180_000);
