import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { startApp } from "../../launcher/start";
import { silentLogger } from "../../core/log";

const run = (dataDir: string, port: number) => ({ server: true, noOpen: true, dataDir, port });

test("a service that fails to start leaves no port bound and no lock held", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ed-start-"));
  const port = 21000 + Math.floor(Math.random() * 20000);
  try {
    const failing = () => ({ name: "broken", start: () => Promise.reject(new Error("no can do")) });
    await expect(startApp({ run: run(dir, port), env: readEnv(), services: [failing], log: silentLogger })).rejects.toThrow("no can do");
    expect(existsSync(join(dir, "instance.lock"))).toBe(false);
    // The same port and data dir start cleanly right after.
    const app = await startApp({ run: run(dir, port), env: readEnv(), services: [], log: silentLogger });
    expect(app.port).toBe(port);
    expect((await fetch(`${app.url}api/health`)).status).toBe(200);
    await app.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
