/** Hardware detection replayed from recorded probe outputs (tests/fixtures/probes). */
import { describe, expect, test } from "bun:test";
import { parseCpuinfo, parseMacFeatures } from "../../engine/detect/cpu";
import { detectHardware } from "../../engine/detect/detect";
import { compareVersions } from "../../engine/detect/hardware";
import { parseNvidiaProcVersion, parseNvidiaSmi } from "../../engine/detect/nvidia";
import { recordedProbeIO, systemProbeIO } from "../../engine/detect/probe-io";
import { parseLddVersion } from "../../engine/detect/system";
import { probeFixtures } from "../fixtures/probes/fixtures";

describe("detectHardware on recorded machines", () => {
  const fixtures = probeFixtures();
  test("the required machines are recorded", () => {
    const names = fixtures.map(([n]) => n);
    for (const n of ["nvidia-linux", "nvidia-windows", "amd-linux", "intel-igpu", "apple-m2", "old-cpu-no-avx2", "debian12-cpu"]) expect(names).toContain(n);
  });
  for (const [name, fx] of fixtures) {
    test(name, async () => {
      const hw = await detectHardware(recordedProbeIO(fx.recording));
      expect(hw).toMatchObject(fx.expect.hardware);
      expect(hw.gpus).toHaveLength((fx.expect.hardware.gpus as unknown[]).length);
    });
  }
});

describe("probe parsers", () => {
  test("nvidia-smi csv, several GPUs and [N/A] fields", () => {
    const gpus = parseNvidiaSmi("NVIDIA GeForce RTX 4090, 550.54.14, 8.9, 24564 MiB\nTesla K80, 470.82.01, [N/A], [N/A]\n\n");
    expect(gpus).toEqual([
      { vendor: "nvidia", name: "NVIDIA GeForce RTX 4090", driverVersion: "550.54.14", computeCap: "8.9", vramBytes: 24564 * 1024 * 1024 },
      { vendor: "nvidia", name: "Tesla K80", driverVersion: "470.82.01", computeCap: undefined, vramBytes: undefined },
    ]);
  });
  test("NVIDIA kernel module version file", () => {
    expect(parseNvidiaProcVersion("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  560.35.03  Release Build")).toBe("560.35.03");
    expect(parseNvidiaProcVersion("garbage")).toBeUndefined();
  });
  test("ldd --version: glibc yes, musl no", () => {
    expect(parseLddVersion("ldd (Debian GLIBC 2.36-9+deb12u10) 2.36\nCopyright")).toBe("2.36");
    expect(parseLddVersion("ldd (GNU libc) 2.40\n")).toBe("2.40");
    expect(parseLddVersion("musl libc (x86_64)\nVersion 1.2.5\n")).toBeUndefined();
  });
  test("cpuinfo flags and macOS sysctl features", () => {
    expect(parseCpuinfo("model name\t: X\nflags\t\t: fpu avx avx2 avx512f\n")).toEqual({ model: "X", avx: true, avx2: true, avx512: true, featuresKnown: true });
    expect(parseCpuinfo("").featuresKnown).toBe(false);
    expect(parseMacFeatures("FPU SSE AVX1.0 RDRAND F16C AVX2 BMI1")).toEqual({ avx: true, avx2: true, avx512: false });
  });
  test("version comparison is numeric", () => {
    expect(compareVersions("2.36", "2.39")).toBeLessThan(0);
    expect(compareVersions("2.40", "2.39")).toBeGreaterThan(0);
    expect(compareVersions("527.41", "527.41")).toBe(0);
    expect(compareVersions("1000.1", "999.9")).toBeGreaterThan(0);
  });
});

test("the real probes run on this machine without throwing", async () => {
  const hw = await detectHardware(systemProbeIO());
  expect(hw.os).toBe(process.platform === "win32" ? "windows" : (process.platform as "linux"));
  expect(hw.arch).toBe(process.arch);
  if (process.platform === "linux") expect(hw.glibc).toMatch(/^\d+\.\d+/);
});
