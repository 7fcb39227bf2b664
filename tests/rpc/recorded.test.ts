/**
 * The stand-ins against what the real programs printed (tests/fixtures/rpc/README.md): the worker's
 * banner parses to its devices and the stand-in RPC server prints the same shape; the stand-in
 * sd-server built without RPC, given --rpc-servers, says what the real one says, first, and goes on.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../engine/process/port";
import { parseDeviceBanner } from "../../rpc/worker-info";
import { dummyModels, standinInstalled, tempDir } from "../standin/fixtures";

setDefaultTimeout(30_000);
const FIX = join(import.meta.dir, "..", "fixtures");
const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("recorded ggml RPC output", () => {
  test("the real worker's banner parses; the stand-in prints the same lines for its devices", async () => {
    const real = readFileSync(join(FIX, "rpc", "worker-banner.txt"), "utf8");
    expect(parseDeviceBanner(real)).toEqual([{ name: "CPU", description: "AMD EPYC" }]);
    const port = await freePort();
    const proc = Bun.spawn(["bun", join(import.meta.dir, "..", "standin", "rpc-server.ts"), `127.0.0.1:${port}`, "--device", "CPU:AMD EPYC:25276194816:25276194816"], {
      stdout: "pipe",
    });
    let out = "";
    for await (const c of proc.stdout) {
      out += new TextDecoder().decode(c);
      if (out.includes("transport")) break;
    }
    proc.kill();
    const shape = (t: string) => t.split("\n").slice(0, 6).join("\n").replace(/127\.0\.0\.1:\d+/, "127.0.0.1:PORT");
    expect(shape(out)).toBe(shape(real));
  });

  test("an engine built without RPC says so first and goes on, as the real one did", async () => {
    const build = standinInstalled(tmp.dir, "cpu");
    const port = await freePort();
    const models = dummyModels(tmp.dir);
    const proc = Bun.spawn([build.serverPath, "-m", models.model!, "--rpc-servers", "127.0.0.1:1", "--listen-ip", "127.0.0.1", "--listen-port", String(port)], {
      stdout: "pipe",
      stderr: "pipe",
    });
    let out = "";
    const read = async (s: ReadableStream<Uint8Array>) => {
      for await (const c of s) out += new TextDecoder().decode(c);
    };
    void read(proc.stdout);
    void read(proc.stderr);
    try {
      for (let i = 0; i < 200 && !out.includes("listening on"); i++) await Bun.sleep(50);
      const real = readFileSync(join(FIX, "sd-server", "rpc-servers-without-rpc.log"), "utf8").split("\n");
      const lines = out.split("\n").filter(Boolean);
      expect(lines[0]).toBe(real[0]!);
      expect(lines[1]).toBe(real[1]!.replace("MODEL", models.model!));
      expect(lines.at(-1)).toBe(real[2]!.replace("PORT", String(port)));
    } finally {
      proc.kill();
    }
  });
});
