/** The engine must not outlive the launcher, even when the launcher is SIGKILLed. */
import { afterAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { guardCommand, watchdogCommand } from "../../engine/process/guard";
import { alive, dummyModels, tempDir, waitFor } from "../standin/fixtures";

setDefaultTimeout(60_000);
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const models = dummyModels(tmp.dir);

async function killLauncherAndWatch(platform?: string, expectDeath = true) {
  const script = join(import.meta.dir, "../standin/orphan-launcher.ts");
  const launcher = Bun.spawn(["bun", script, tmp.dir, models.model!, models.loraDir, ...(platform ? [platform] : [])], { stdout: "pipe", stderr: "inherit" });
  let output = "";
  const reader = launcher.stdout.getReader();
  const pid = await waitFor("the engine pid", async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error(`launcher exited: ${output}`);
    output += new TextDecoder().decode(value);
    const m = /ENGINE_PID=(\d+)/.exec(output);
    return m ? Number(m[1]) : undefined;
  });
  expect(alive(pid)).toBe(true);
  launcher.kill("SIGKILL");
  await launcher.exited;
  const killedAt = Date.now();
  if (!expectDeath) {
    await Bun.sleep(1_500);
    const survived = alive(pid);
    process.kill(pid, "SIGKILL");
    return survived;
  }
  await waitFor("the engine to die", () => !alive(pid), 3_000);
  return Date.now() - killedAt;
}

describe("orphan guard", () => {
  test.if(process.platform === "linux")("SIGKILL of the launcher leaves no engine (setpriv --pdeathsig)", async () => {
    const ms = await killLauncherAndWatch();
    expect(ms).toBeLessThan(3_000);
  });

  test.if(process.platform === "linux")("the sh watchdog used where setpriv is missing also ends the engine within 3 s", async () => {
    const ms = await killLauncherAndWatch("darwin");
    expect(ms).toBeLessThan(3_000);
  });

  test.if(process.platform === "linux")("control: without the guard the engine would survive", async () => {
    expect(await killLauncherAndWatch("none", false)).toBe(true);
  });

  test("the guard plans: setpriv on Linux, a watchdog elsewhere (sh, or PowerShell on Windows)", () => {
    expect(guardCommand(["/e/sd-server", "-m", "x"], "linux", "/usr/bin/setpriv")).toEqual({ argv: ["/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "/e/sd-server", "-m", "x"], watchdog: false });
    expect(guardCommand(["/e/sd-server"], "linux", null)).toEqual({ argv: ["/e/sd-server"], watchdog: true });
    expect(guardCommand(["sd-server.exe"], "win32")).toEqual({ argv: ["sd-server.exe"], watchdog: true });
    expect(watchdogCommand(10, 20, "darwin")).toEqual(["sh", "-c", expect.stringContaining("kill -9 20")]);
    expect(watchdogCommand(10, 20, "win32").at(-1)).toBe("try { Wait-Process -Id 10 -ErrorAction Stop } catch {}; Stop-Process -Id 20 -Force -ErrorAction SilentlyContinue");
  });
});
