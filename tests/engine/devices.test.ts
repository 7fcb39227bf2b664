/** `sd-server --list-devices` → devices (pure and through the stand-in program), an unknown --backend name classified. */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EngineDevices, listDevices, parseDeviceList } from "../../engine/devices";
import { classifyFailure } from "../../engine/process/errors";
import { standinInstalled, tempDir } from "../standin/fixtures";

const CONTRACT = join(import.meta.dir, "../fixtures/sd-server");

describe("device list", () => {
  test("parses the recorded CPU line and a multi-GPU list; skips junk lines", () => {
    expect(parseDeviceList(readFileSync(join(CONTRACT, "list-devices-cpu.txt"), "utf8"))).toEqual([{ name: "CPU", description: "AMD EPYC" }]);
    expect(parseDeviceList("CUDA0\tNVIDIA GeForce RTX 4090\r\nCUDA1\tNVIDIA RTX A4000\nVulkan0\tAMD Radeon (RADV)\n\nwarning: something\nCPU\tAMD Ryzen 9\n").map((d) => d.name)).toEqual(["CUDA0", "CUDA1", "Vulkan0", "CPU"]);
  });

  test("runs the installed build's program (the stand-in) and caches per build", async () => {
    const tmp = tempDir("ed-devices-");
    try {
      const gpu = standinInstalled(tmp.dir, "cuda12", { gpuMemoryMb: 8192 });
      expect(await listDevices(gpu.serverPath)).toEqual([{ name: "CUDA0", description: "NVIDIA Stand-in GPU" }, { name: "CPU", description: "AMD EPYC" }]);
      let calls = 0;
      const devices = new EngineDevices(() => [gpu], async (path) => (calls++, listDevices(path)));
      const first = await devices.report();
      expect(first?.build).toBe("test-tag/cuda12");
      await devices.report();
      expect(calls).toBe(1);
      devices.forget();
      await devices.report();
      expect(calls).toBe(2);
      // A program that fails says why instead of listing nothing silently.
      const broken = new EngineDevices(() => [{ ...gpu, serverPath: join(tmp.dir, "missing-sd-server") }]);
      expect((await broken.report())?.problem).toBeTruthy();
      expect(await new EngineDevices(() => []).report()).toBeNull();
    } finally {
      tmp.cleanup();
    }
  });

  test("an unknown --backend name (recorded) is unknown_device, which no restart fixes", () => {
    const info = classifyFailure(["[ERROR] stable-diffusion.cpp:630  - backend config failed: backend 'foo0' was not found", "[ERROR] main.cpp:92   - new_sd_ctx_t failed"], { code: 1, signal: null });
    expect(info?.code).toBe("unknown_device");
    expect(info?.message).toContain("foo0");
    expect(info?.hint).toContain("Settings → Engine → Device");
  });
});
