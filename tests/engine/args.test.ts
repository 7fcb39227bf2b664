import { describe, expect, test } from "bun:test";
import { buildServerArgs, modelFiles } from "../../engine/process/args";
import { defaultConfig } from "../../core/config/schema";

const engine = defaultConfig().engine;

describe("buildServerArgs", () => {
  test("defaults: model, explicit LoRA dir, loopback port, flash attention, automatic GPU memory use, mmap", () => {
    expect(buildServerArgs(engine, { model: "/m/sd.safetensors", loraDir: "/m/lora" }, 4321)).toEqual([
      "-m", "/m/sd.safetensors",
      "--lora-model-dir", "/m/lora",
      "--listen-ip", "127.0.0.1", "--listen-port", "4321",
      "--fa",
      "--auto-fit",
      "--mmap",
    ]);
  });

  test("every model flag, embeddings, offload, VAE tiling in latent cells, threads", () => {
    const args = buildServerArgs(
      { ...engine, flash_attention: false, offload_to_cpu: true, vae_tiling: true, vae_tile_size: 256, mmap: false, threads: 6 },
      { diffusionModel: "/d.gguf", vae: "/vae.safetensors", clipL: "/cl.safetensors", clipG: "/cg.safetensors", t5xxl: "/t5.gguf", llm: "/llm.gguf", controlNet: "/cn.safetensors", taesd: "/taesd.safetensors", upscaleModel: "/esrgan.pth", loraDir: "/lora", embeddingsDir: "/emb" },
      1,
    );
    expect(args).toEqual([
      "--diffusion-model", "/d.gguf", "--vae", "/vae.safetensors", "--clip_l", "/cl.safetensors", "--clip_g", "/cg.safetensors",
      "--t5xxl", "/t5.gguf", "--llm", "/llm.gguf", "--control-net", "/cn.safetensors", "--taesd", "/taesd.safetensors",
      "--upscale-model", "/esrgan.pth", "--lora-model-dir", "/lora", "--embd-dir", "/emb",
      "--listen-ip", "127.0.0.1", "--listen-port", "1",
      "--offload-to-cpu", "--vae-tiling", "--vae-tile-size", "32x32", "-t", "6",
    ]);
  });

  test("GPU memory use levels → flags (docs/performance.md order), the model set's level first, device → --backend", () => {
    const m = { model: "/a", loraDir: "/l" };
    const memory = (flags: Partial<typeof engine>, set: Partial<typeof m & { memory: "fastest" | "auto" | "low" | "very_low" }> = {}) =>
      buildServerArgs({ ...engine, flash_attention: false, mmap: false, ...flags }, { ...m, ...set }, 1).slice(8);
    expect(memory({ memory: "auto" })).toEqual(["--auto-fit"]);
    expect(memory({ memory: "auto", leave_free_gb: 2 })).toEqual(["--auto-fit", "--max-vram", "-2"]);
    expect(memory({ memory: "fastest" })).toEqual([]);
    expect(memory({ memory: "low" })).toEqual(["--offload-to-cpu"]);
    expect(memory({ memory: "very_low" })).toEqual(["--offload-to-cpu", "--params-backend", "te=disk,vae=disk", "--max-vram", "-1", "--stream-layers"]);
    expect(memory({ memory: "very_low", leave_free_gb: 1.5 })).toContain("-1.5");
    // The older offload_to_cpu setting reads as Low while memory is left at auto; an explicit level wins.
    expect(memory({ memory: "auto", offload_to_cpu: true })).toEqual(["--offload-to-cpu"]);
    expect(memory({ memory: "fastest", offload_to_cpu: true })).toEqual([]);
    // A level remembered for the model set (after running out of memory) wins over the setting.
    expect(memory({ memory: "auto" }, { memory: "low" })).toEqual(["--offload-to-cpu"]);
    // A chosen device: --backend; auto-fit would ignore it, so Automatic then passes only the budget.
    expect(memory({ memory: "auto", device: "CUDA0" })).toEqual(["--backend", "CUDA0"]);
    expect(memory({ memory: "auto", device: "Vulkan0", leave_free_gb: 1 })).toEqual(["--backend", "Vulkan0", "--max-vram", "-1"]);
    expect(memory({ memory: "low", device: "CPU" })).toEqual(["--backend", "CPU", "--offload-to-cpu"]);
  });

  test("every flag it emits is one sd-server accepts (checked against the recorded --help)", async () => {
    const help = await Bun.file(new URL("../fixtures/sd-server/sd-server-help.txt", import.meta.url)).text();
    const args = buildServerArgs({ ...engine, memory: "very_low", device: "CPU", vae_tiling: true, threads: 2 }, { model: "/a", diffusionModel: "/b", vae: "/c", clipL: "/d", clipG: "/e", t5xxl: "/f", llm: "/g", controlNet: "/h", taesd: "/i", upscaleModel: "/j", loraDir: "/k", embeddingsDir: "/l" }, 2);
    const auto = buildServerArgs({ ...engine, memory: "auto", leave_free_gb: 1 }, { model: "/a", loraDir: "/l" }, 2);
    for (const flag of [...args, ...auto].filter((a) => /^-[-a-z]/.test(a))) expect(help).toMatch(new RegExp(`(^|[ ,])${flag.replace(/[-]/g, "\\-")}[ ,<\\n]`, "m"));
  });

  test("seamless tiling: one circular padding flag per axis choice, each in the recorded --help", async () => {
    const help = await Bun.file(new URL("../fixtures/sd-server/sd-server-help.txt", import.meta.url)).text();
    for (const [axes, flag] of [["xy", "--circular"], ["x", "--circularx"], ["y", "--circulary"]] as const) {
      const args = buildServerArgs(engine, { model: "/a", loraDir: "/l", circular: axes }, 1);
      expect(args.filter((a) => a.startsWith("--circular"))).toEqual([flag]);
      expect(help).toContain(`  ${flag} `);
    }
    expect(buildServerArgs(engine, { model: "/a", loraDir: "/l" }, 1).some((a) => a.startsWith("--circular"))).toBe(false);
  });

  test("modelFiles lists the files to check before starting", () => {
    expect(modelFiles({ model: "/a", vae: "/b", loraDir: "/l" })).toEqual(["/a", "/b"]);
  });
});
