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
import { waitFor } from "../standin/fixtures";
import { hasWine, releaseWineKit, wineKit } from "./wine";

const dir = mkdtempSync(join(tmpdir(), "ed-wine-gui-"));
let usedKit = false;
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (usedKit) await releaseWineKit();
});

test.skipIf(!hasWine)("without WebView2 the GUI program opens the UI in the browser and says so in its log", async () => {
  usedKit = true;
  const kit = await wineKit();
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
