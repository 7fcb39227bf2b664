/**
 * The Engine and Downloads tabs in real Chromium against the real app: the
 * first-run download (held half way by the release server) in the status bar
 * and the Downloads tab, then the Engine tab's machine, choice and reasons,
 * installed builds, state through a real stand-in sd-server, its live log,
 * the restart/stop buttons, a bad import, and switching backend.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { FAST } from "../standin/fixtures";
import { packStandinZip, standinBuild } from "../standin/pack";
import { tempData } from "../queue/harness";
import { launchBrowser, openShell, until, waitText } from "../ui/harness";
import { SHOTS } from "../ui-image/harness";
import { sentence } from "../../ui/src/apps/engine/engine-format";
import { serveRelease, startEngineApp, type EngineApp, type ReleaseServer } from "./harness";

setDefaultTimeout(40_000);
const TAG = "master-900-ccccccc";
const VULKAN = "sd-master-ccccccc-bin-Linux-Ubuntu-24.04-x86_64-vulkan.zip";
const CPU = "sd-master-ccccccc-bin-Linux-Ubuntu-24.04-x86_64.zip";
const data = tempData("ed-ui-engine-");
let release: ReleaseServer;
let ed: EngineApp;
let browser: Browser;
let page: Page;

const engineTab = () => page.locator("ed-shell section.pane:not([hidden]) ed-engine-app");
const badge = () => engineTab().locator(".badge.state");
const stateOf = async () => (await badge().getAttribute("data-state", { timeout: 2_000 }).catch(() => "")) ?? "";
const waitState = (want: string, timeoutMs = 20_000) => until(async () => (await stateOf()) === want, `engine state ${want}`, timeoutMs);

beforeAll(async () => {
  const zip = join(data.dir, "standin.zip");
  await packStandinZip(zip, { workDir: join(data.dir, "pack"), config: FAST, topFolder: "build" });
  const bytes = new Uint8Array(await Bun.file(zip).arrayBuffer());
  release = serveRelease(TAG, { [VULKAN]: bytes, [CPU]: bytes }, { chunk: Math.ceil(bytes.length / 20), everyMs: 60 });
  release.holdAt(0.5);
  browser = await launchBrowser();
  ed = await startEngineApp(data.dir, release);
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await openShell(page, ed.app.url);
}, 60_000);

afterAll(async () => {
  release?.resume();
  await browser?.close();
  await ed?.app.stop("test");
  release?.stop();
  data.remove();
});

describe("first-run engine download", () => {
  test("shows in the status bar and the Downloads tab while it runs; Cancel stops it", async () => {
    const meter = page.locator("ed-status-bar ed-download-meter .text");
    // While bytes flow the meter shows the rate and time left.
    await waitText(meter, /^Downloading engine \d+% · [\d.]+ (KB|MB)\/s · (\d+ s|under a second) left$/, 20_000);
    // The server holds the download at half its bytes: the meter ends on exactly that share.
    const size = (await Bun.file(join(data.dir, "standin.zip")).arrayBuffer()).byteLength;
    const percent = Math.floor((Math.floor(size * 0.5) / size) * 100);
    const held = new RegExp(`^Downloading engine ${percent}% · `);
    await waitText(meter, held, 20_000);
    await page.screenshot({ path: join(SHOTS, "engine-download-status-bar.png") });
    // A page loaded mid-download shows it at once (the stream replays the latest progress).
    await openShell(page, ed.app.url);
    await waitText(meter, held);

    await page.click("ed-status-bar ed-download-meter button"); // opens the Downloads tab
    const row = page.locator("ed-downloads-app ed-download-row");
    await waitText(row.locator(".name"), VULKAN);
    expect(await row.locator(".phase").textContent()).toBe("Downloading");
    expect(await row.locator(".size").textContent()).toMatch(/^[\d.]+ (KB|MB) \/ [\d.]+ (KB|MB)$/);
    expect(await row.locator(".percent").textContent()).toBe(`${percent}%`);
    expect(await row.locator("[role=progressbar]").getAttribute("aria-valuenow")).toBe(String(percent));
    await page.screenshot({ path: join(SHOTS, "engine-downloads-tab.png") });
    // Held: after a few seconds without data the stale rate and time left give way to saying so.
    await waitText(row.locator(".stalled"), /^no data for \d+ s, still trying$/, 15_000);
    expect(await row.locator(".rate").count()).toBe(0);
    await waitText(meter, new RegExp(`^Downloading engine ${percent}% · no data for \\d+ s, still trying$`));

    await row.locator("button.cancel").click();
    await waitText(row.locator(".phase"), "Cancelled");
    expect(await row.locator("button.cancel").count()).toBe(0);
    // The meter gives way to the engine's state, which opens the Engine tab.
    await waitText(page.locator("ed-status-bar ed-engine-indicator button.chip"), "Engine: Failed");
    expect(ed.engine.status().error).toMatchObject({ code: "download_failed", message: "The engine download was cancelled." });
    const nothing = await fetch(new URL("/api/engine/install/cancel", ed.app.url), { method: "POST" });
    expect(await nothing.json()).toEqual({ cancelled: false });
    release.resume();
  });
});

describe("Engine tab", () => {
  test("after a cancelled download: says so and what to do; Install downloads the engine", async () => {
    await page.click("ed-status-bar ed-engine-indicator button.chip");
    await waitState("failed");
    await waitText(engineTab().locator(".engine-error .what"), "The engine download was cancelled.");
    await waitText(engineTab().locator(".engine-error .todo"), /^What to do: Install it from the Engine tab/);
    const install = engineTab().locator("button.reinstall");
    await waitText(install, "Install");
    await install.click();
    await waitState("installed");
    await waitText(engineTab().locator(".message"), "Installed.");
    expect(await engineTab().locator(".engine-error").count()).toBe(0);
    await waitText(page.locator("ed-downloads-app ed-download-row .phase"), "Installed");
    expect(release.downloads).toEqual([VULKAN, VULKAN]);
    // The cancelled download's partial file was kept: the second request resumed it.
    expect(release.ranges[0]).toBe("");
    expect(release.ranges[1]).toMatch(/^bytes=[1-9]\d*-$/);
  });

  test("shows the detected machine, the chosen builds with reasons, and the installed build", async () => {
    const gpu = engineTab().locator("ed-engine-hardware .card.gpu");
    await waitText(gpu.locator(".name"), "NVIDIA GeForce RTX 4090");
    const gpuText = (await gpu.textContent())!.replace(/\s+/g, " ");
    for (const fact of ["NVIDIA", "24 GiB", "550.107.02", "8.9"]) expect(gpuText).toContain(fact);
    const system = (await engineTab().locator("ed-engine-hardware .card.system").textContent())!.replace(/\s+/g, " ");
    for (const fact of ["Linux", "x64", "glibc", "2.39", "AVX, AVX2, AVX-512", "AMD Ryzen 9 7950X"]) expect(system).toContain(fact);
    const candidates = engineTab().locator("ed-engine-hardware .candidate");
    expect(await candidates.evaluateAll((els) => els.map((e) => e.getAttribute("data-variant")))).toEqual(["vulkan", "cpu"]);
    expect(await candidates.first().textContent()).toContain("upstream publishes no Linux CUDA build");
    expect(await candidates.nth(1).textContent()).toContain("last resort");
    await waitText(engineTab().locator("table.builds tbody tr td").first(), /^vulkan/);
    expect(await engineTab().locator(".note").textContent()).toContain("starts with the first image");
    // The devices the installed build itself lists (sd-server --list-devices; the stand-in prints the recorded CPU line).
    await waitText(engineTab().locator('ed-engine-hardware [data-role="devices"] [data-device="CPU"]'), /CPU\s+AMD EPYC/);
    const report = (await (await fetch(new URL("/api/engine/devices", ed.app.url))).json()) as { build: string; devices: unknown[] };
    expect(report).toEqual({ build: `${TAG}/vulkan`, devices: [{ name: "CPU", description: "AMD EPYC" }] });
    // Settings → Engine → Device offers them (automatic, or one named device → --backend).
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [data-command="app:settings"]');
    const device = page.locator('ed-settings-app ed-settings-field[data-path="engine.device"] select');
    await device.waitFor();
    expect(await device.locator("option").allTextContents()).toEqual(["Automatic", "CPU"]);
    await page.locator("ed-tab-strip [role=tab]", { hasText: "Engine" }).first().click();
  });

  test("the state reaches ready with a task; the log shows the engine's lines", async () => {
    const res = await fetch(new URL("/api/tasks", ed.app.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "a lighthouse", model: "sd-test.safetensors", steps: 3, width: 64, height: 64, seed: 1 }),
    });
    expect(res.status).toBeLessThan(300);
    await waitState("ready");
    await waitText(engineTab().locator("header .build"), /^vulkan · master-900-ccccccc · port \d+$/);
    const log = engineTab().locator("ed-engine-log .line");
    await until(async () => (await log.count()) > 5, "log lines");
    // The task keeps the engine printing: a line the engine has now reaches the view (lines come in batches).
    const latest = ed.engine.logs().at(-1)!;
    await until(async () => (await log.allTextContents()).join("\n").includes(latest), "the engine's latest line in the view");
    // The view follows new lines: it is scrolled to the bottom.
    const gap = await engineTab().locator("ed-engine-log pre").evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    expect(gap).toBeLessThan(30);
    await page.screenshot({ path: join(SHOTS, "engine-tab-ready.png") });
    await engineTab().locator("ed-engine-log").screenshot({ path: join(SHOTS, "engine-tab-log.png") });
  });

  test("Restart and Stop change the state; Start brings it back", async () => {
    const from = ed.events.length;
    await engineTab().locator("button.restart").click();
    await until(() => ed.events.slice(from).some((e) => e.type === "engine.state" && (e.data as { state: string }).state === "restarting"), "restarting");
    await waitState("ready");
    await engineTab().locator("button.stop").click();
    await waitState("stopped");
    expect(await engineTab().locator("button.stop").isDisabled()).toBe(true);
    expect(await engineTab().locator("button.restart").textContent()).toContain("Start");
    await engineTab().locator("button.restart").click();
    await waitState("ready");
  });

  test("importing a path that does not exist shows the server's message", async () => {
    const bad = join(data.dir, "no-such-build.zip");
    const importByPath = (headers: Record<string, string>, confirm?: boolean, nonce?: string) =>
      fetch(new URL("/api/engine/import", ed.app.url), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ path: bad, confirm, nonce }) });
    // Without the page's one-time nonce (a script, a terminal, or headers claiming to be the page): refused, with the CLI named.
    const script = await importByPath({}, true);
    expect(script.status).toBe(403);
    expect(((await script.json()) as { error: { message: string } }).error.message).toContain("easy-diffusion engine import");
    const own = { origin: new URL(ed.app.url).origin };
    expect((await importByPath({ ...own, "sec-fetch-site": "same-origin" }, true)).status).toBe(403);
    // Not confirmed: refused.
    const unconfirmed = await importByPath(own);
    expect(unconfirmed.status).toBe(400);
    expect(((await unconfirmed.json()) as { error: { code: string } }).error.code).toBe("confirm_required");
    const { nonce } = (await (await fetch(new URL("/api/engine/import/nonce", ed.app.url), { method: "POST", headers: own })).json()) as { nonce: string };
    const direct = await importByPath(own, true, nonce);
    expect(direct.status).toBe(400);
    const { error } = (await direct.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("verify_failed");
    await engineTab().locator("form.import input").fill(bad);
    await engineTab().locator("form.import button").click();
    // The app asks first; Cancel sends nothing, confirming imports.
    await engineTab().locator(".confirm button.cancel-import").click();
    expect(await engineTab().locator(".confirm").count()).toBe(0);
    expect(await engineTab().locator(".import-message").count()).toBe(0);
    await engineTab().locator("form.import button").click();
    expect(await engineTab().locator(".confirm").textContent()).toContain(bad);
    await engineTab().locator(".confirm button.confirm-import").click();
    const shown = await waitText(engineTab().locator(".import-message"), /does not exist/);
    expect(shown).toContain(`${bad} does not exist`);
    expect(shown).toContain("give the path of a folder or .zip holding sd-server");
    expect(shown).not.toMatch(/\bat\s+\S+\s+\(/); // no stack frames
    expect(await engineTab().locator(".import-message").getAttribute("role")).toBe("alert");
  });

  test("switching the backend to CPU installs the CPU build and moves the engine onto it", async () => {
    await engineTab().locator("select#backend").selectOption("cpu");
    await engineTab().locator("button.switch").click();
    await waitText(engineTab().locator(".message"), /^Using the cpu build\./, 30_000);
    await waitText(engineTab().locator("header .build"), /^cpu · /, 20_000);
    await waitState("ready");
    const variants = await engineTab().locator("table.builds tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-variant")));
    expect(variants.sort()).toEqual(["cpu", "vulkan"]);
    // Release builds are made without SD_RPC: the RPC workers column says they cannot use them.
    expect(await engineTab().locator("table.builds tbody td[data-role=rpc]").allTextContents()).toEqual(["no (built without RPC)", "no (built without RPC)"]);
    expect(ed.app.ctx.config.config.engine.backend).toBe("cpu");
    // The plan follows the config change: CPU first, as configured.
    await waitText(engineTab().locator("ed-engine-hardware .candidate strong").first(), "1. cpu");
    await waitText(engineTab().locator("ed-engine-hardware .override"), "Using the cpu build as configured.");
    expect(release.downloads).toEqual([VULKAN, VULKAN, CPU]);
    await page.screenshot({ path: join(SHOTS, "engine-tab-cpu.png") });
  });
});

describe("Engine tab import of a chosen zip", () => {
  test("a zip picked with the file chooser is uploaded, installed and run", async () => {
    const zip = join(data.dir, "my-build.zip");
    await packStandinZip(zip, { config: FAST, workDir: join(data.dir, "pack") });
    const chooser = page.waitForEvent("filechooser");
    await engineTab().locator("label.pick .button").click();
    await (await chooser).setFiles(zip);
    const shown = await waitText(engineTab().locator(".import-message"), /Imported/, 30_000);
    expect(shown).toMatch(/^Imported cpu \(imported-my-build\)\.$/);
    await waitState("ready");
    // Nothing of the upload is left behind.
    expect(readdirSync(ed.app.paths.downloads).filter((n) => n.startsWith(".import-"))).toEqual([]);
  });
});

describe("Engine tab errors", () => {
  test("an imported build that cannot load the model: the error says what happened and what to do, with the last lines", async () => {
    const folder = join(data.dir, "my-own-build");
    standinBuild(folder, { ...FAST, fault: "unsupported-model" });
    await engineTab().locator("form.import input").fill(folder);
    await engineTab().locator("form.import button").click();
    await engineTab().locator(".confirm button.confirm-import").click();
    await waitState("failed");
    const box = engineTab().locator(".engine-error");
    const what = await waitText(box.locator(".what"), /\S/);
    const todo = (await box.locator(".todo").textContent())!;
    const status = ed.engine.status();
    expect(status.error?.code).toBe("unsupported_model");
    expect(what).toBe(sentence(status.error!.message));
    expect(todo).toBe(`What to do: ${sentence(status.error!.hint!)}`);
    await box.locator("summary").click();
    expect(await box.locator("details pre").textContent()).toContain(status.error!.lastLines!.at(-1)!);
    for (const text of [what, todo]) expect(text).not.toMatch(/\n\s+at\s/);
    await waitText(page.locator("ed-status-bar ed-engine-indicator button.chip"), "Engine: Failed");
    await engineTab().locator(".engine-error").screenshot({ path: join(SHOTS, "engine-tab-error.png") });
  });
});
