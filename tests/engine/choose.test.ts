/** choose() on every recorded machine and on the contract's release assets. */
import { describe, expect, test } from "bun:test";
import { choose } from "../../engine/detect/choose";
import { detectHardware } from "../../engine/detect/detect";
import type { Hardware } from "../../engine/detect/hardware";
import { recordedProbeIO } from "../../engine/detect/probe-io";
import { fromGithubRelease } from "../../engine/release/github";
import { probeFixtures } from "../fixtures/probes/fixtures";
import releaseJson from "../fixtures/release-master-827.json";

const release = fromGithubRelease(releaseJson);
const hwOf = async (name: string) => detectHardware(recordedProbeIO(probeFixtures().find(([n]) => n === name)![1].recording));

describe("choose() on recorded machines", () => {
  for (const [name, fx] of probeFixtures()) {
    test(name, async () => {
      const hw = await detectHardware(recordedProbeIO(fx.recording));
      const choice = choose(hw, release.assets, "auto");
      expect(choice.candidates.map((c) => c.variant)).toEqual(fx.expect.variants);
      if (fx.expect.error) expect(choice.error?.code).toBe(fx.expect.error as "glibc_too_old");
      else expect(choice.error).toBeUndefined();
      if (fx.expect.reasonIncludes) expect(choice.candidates.flatMap((c) => c.reasons).join("\n")).toContain(fx.expect.reasonIncludes);
      if (fx.expect.extraAssets) expect(choice.candidates[0]!.extraAssets.map((a) => a.name)).toEqual(fx.expect.extraAssets);
      for (const c of choice.candidates) expect(c.reasons.length).toBeGreaterThan(0);
      // The CPU build, when there is one, is always the last resort.
      const cpu = choice.candidates.findIndex((c) => c.backend === "cpu");
      if (cpu >= 0) expect(cpu).toBe(choice.candidates.length - 1);
    });
  }
});

describe("actionable refusals", () => {
  test("Debian 12: glibc 2.36 < 2.39 says so and points at engine import", async () => {
    const choice = choose(await hwOf("debian12-cpu"), release.assets);
    expect(choice.error?.message).toBe("this engine needs glibc 2.39, your system has 2.36");
    expect(choice.error?.hint).toContain("easy-diffusion engine import");
    expect(choice.rejected.map((r) => r.variant)).toEqual(["cpu"]);
  });
  test("missing Vulkan loader rejects the Vulkan build with an install hint", async () => {
    const hw: Hardware = { ...(await hwOf("intel-igpu")), vulkanLoader: false };
    const choice = choose(hw, release.assets);
    expect(choice.candidates.map((c) => c.variant)).toEqual(["cpu"]);
    const vk = choice.rejected.find((r) => r.variant === "vulkan")!;
    expect(vk.code).toBe("missing_library");
    expect(vk.reason).toBe("libvulkan.so.1 missing");
    expect(vk.hint).toContain("apt install libvulkan1");
  });
  test("old NVIDIA driver on Windows: CUDA rejected, Vulkan first", async () => {
    const hw = await hwOf("nvidia-windows");
    hw.gpus[0]!.driverVersion = "472.12";
    const choice = choose(hw, release.assets);
    expect(choice.candidates.map((c) => c.variant)).toEqual(["vulkan", "cpu"]);
    expect(choice.rejected[0]!.reason).toContain("too old for CUDA 12");
  });
  test("AMD without ROCm runtime uses Vulkan and says why", async () => {
    const hw = { ...(await hwOf("amd-linux")), rocm: undefined };
    const choice = choose(hw, release.assets);
    expect(choice.candidates.map((c) => c.variant)).toEqual(["vulkan", "cpu"]);
    expect(choice.candidates[0]!.reasons[0]).toContain("no ROCm runtime");
  });
  test("an Intel Mac and a release without matching builds: nothing fits, import hint", async () => {
    const hw = { ...(await hwOf("apple-m2")), arch: "x64", gpus: [] };
    const choice = choose(hw, release.assets);
    expect(choice.candidates).toEqual([]);
    expect(choice.error).toMatchObject({ code: "no_candidate" });
    expect(choice.error!.hint).toContain("engine import");
  });
});

test("an older macOS than the build's gets a note, not a refusal", async () => {
  const hw = { ...(await hwOf("apple-m2")), osVersion: "14.6" };
  const [metal] = choose(hw, release.assets).candidates;
  expect(metal!.reasons.join("\n")).toContain("built on macOS 15.7.2, this Mac runs 14.6");
});

describe("engine.backend override", () => {
  test("cpu is moved first when asked", async () => {
    const choice = choose(await hwOf("nvidia-windows"), release.assets, "cpu");
    expect(choice.candidates.map((c) => c.variant)).toEqual(["cpu", "cuda12", "vulkan"]);
    expect(choice.override).toMatchObject({ backend: "cpu", applied: true });
    expect(choice.candidates[0]!.reasons[0]).toContain("engine.backend");
  });
  test("cuda on Linux explains that upstream has no Linux CUDA build", async () => {
    const choice = choose(await hwOf("nvidia-linux"), release.assets, "cuda");
    expect(choice.override?.applied).toBe(false);
    expect(choice.override?.reason).toContain("no CUDA build for Linux");
    expect(choice.candidates[0]!.variant).toBe("vulkan");
  });
  test("a backend rejected for this machine says why", async () => {
    const choice = choose(await hwOf("debian12-cpu"), release.assets, "vulkan");
    expect(choice.override?.reason).toContain("glibc 2.39");
  });
  test("metal on Linux: no such build", async () => {
    const choice = choose(await hwOf("intel-igpu"), release.assets, "metal");
    expect(choice.override).toMatchObject({ applied: false, reason: "this release has no metal build for linux x64" });
  });
});

describe("the build-from-source candidate", () => {
  test("is chosen on a glibc-too-old machine (Debian 12)", async () => {
    const choice = choose(await hwOf("debian12-cpu"), release.assets, "auto");
    expect(choice.candidates).toEqual([]);
    expect(choice.build).toMatchObject({ backend: "cpu", chosen: true });
    expect(choice.build!.reason).toContain("built from source");
  });

  test("is offered as faster on Linux NVIDIA with nvcc, and not without it", async () => {
    const hw = await hwOf("nvidia-linux");
    const withNvcc = choose(hw, release.assets, "auto", { nvcc: true });
    expect(withNvcc.candidates.length).toBeGreaterThan(0);
    expect(withNvcc.build).toMatchObject({ backend: "cuda", chosen: false });
    expect(choose(hw, release.assets, "auto", {}).build).toBeUndefined();
  });

  test("is not offered where release builds fit and no faster backend exists", async () => {
    expect(choose(await hwOf("apple-m2"), release.assets, "auto").build).toBeUndefined();
    expect(choose(await hwOf("nvidia-windows"), release.assets, "auto", { nvcc: true }).build).toBeUndefined();
  });
});
