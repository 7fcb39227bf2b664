import { describe, expect, test } from "bun:test";
import { buildServerArgs, modelFiles } from "../../engine/process/args";
import { defaultConfig } from "../../launcher/config/schema";

const engine = defaultConfig().engine;

describe("buildServerArgs", () => {
  test("defaults: model, explicit LoRA dir, loopback port, flash attention, mmap", () => {
    expect(buildServerArgs(engine, { model: "/m/sd.safetensors", loraDir: "/m/lora" }, 4321)).toEqual([
      "-m", "/m/sd.safetensors",
      "--lora-model-dir", "/m/lora",
      "--listen-ip", "127.0.0.1", "--listen-port", "4321",
      "--fa",
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

  test("every flag it emits is one sd-server accepts (checked against the recorded --help)", async () => {
    const help = await Bun.file(new URL("../fixtures/sd-server/sd-server-help.txt", import.meta.url)).text();
    const args = buildServerArgs({ ...engine, offload_to_cpu: true, vae_tiling: true, threads: 2 }, { model: "/a", diffusionModel: "/b", vae: "/c", clipL: "/d", clipG: "/e", t5xxl: "/f", llm: "/g", controlNet: "/h", taesd: "/i", upscaleModel: "/j", loraDir: "/k", embeddingsDir: "/l" }, 2);
    for (const flag of args.filter((a) => a.startsWith("-"))) expect(help).toMatch(new RegExp(`(^|[ ,])${flag.replace(/[-]/g, "\\-")}[ ,<\\n]`, "m"));
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
