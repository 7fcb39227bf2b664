/**
 * Identification from headers only: tiny generated safetensors and GGUF
 * files (sparse data) carrying each family's telltale tensors come out as
 * the right kind, family and precision; truncated and corrupt files give a
 * problem, never an exception; PyTorch zips are read without unpickling.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yazl from "yazl";
import { identifyFile } from "../../models/library";
import { readGgufHeader } from "../../models/headers/gguf";
import { pickleStrings } from "../../models/headers/torch";
import { TELLTALES, writeGguf, writeSafetensors } from "./fixtures";

const dir = mkdtempSync(join(tmpdir(), "ed-identify-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const st = (name: string, telltale: string, metadata: Record<string, string> = {}, dtype?: string) => {
  const file = join(dir, `${name}.safetensors`);
  writeSafetensors(file, TELLTALES[telltale]!.map((t) => (dtype ? { ...t, dtype } : t)), metadata);
  return identifyFile(file);
};

describe("kind and family from safetensors headers", () => {
  test.each([
    ["sd1", "checkpoint", "sd1"],
    ["sd2", "checkpoint", "sd2"],
    ["sdxl", "checkpoint", "sdxl"],
    ["sd3", "diffusion_model", "sd3"],
    ["flux", "diffusion_model", "flux"],
    ["chroma", "diffusion_model", "chroma"],
    ["flux2", "diffusion_model", "flux2"],
    ["z-image", "diffusion_model", "z-image"],
    ["qwen-image", "diffusion_model", "qwen-image"],
    ["wan", "diffusion_model", "wan"],
    ["vae_sd", "vae", "sd"],
    ["vae_flux", "vae", "flux"],
    ["vae_qwen", "vae", "wan"],
    ["lora_sdxl", "lora", "sdxl"],
    ["lora_sd1", "lora", "sd1"],
    ["lora_flux", "lora", "flux"],
    ["controlnet", "controlnet", "sd1"],
    ["esrgan", "upscaler", null],
    ["taesd", "taesd", null],
    ["embedding", "embedding", null],
  ])("%s → %s / %s", (telltale, kind, family) => {
    const id = st(telltale, telltale);
    expect(id.problem).toBeUndefined();
    expect(id.detected).toBe(kind as never);
    expect(id.family).toBe(family);
  });

  test("text encoders: which slot, and the LLM's family", () => {
    expect(st("clip_l", "clip_l")).toMatchObject({ detected: "text_encoder", encoder: "clip_l" });
    expect(st("clip_g", "clip_g")).toMatchObject({ detected: "text_encoder", encoder: "clip_g" });
    expect(st("t5", "t5xxl")).toMatchObject({ detected: "text_encoder", encoder: "t5xxl", family: "t5" });
    expect(st("qwen3", "qwen3")).toMatchObject({ detected: "text_encoder", encoder: "llm", family: "qwen3" });
  });

  test("precision from the weight dtypes; LoRA family from kohya metadata", () => {
    expect(st("fp8", "flux", {}, "F8_E4M3").precision).toBe("f8_e4m3");
    expect(st("bf16", "flux", {}, "BF16").precision).toBe("bf16");
    expect(st("sd1-f16", "sd1").precision).toBe("f16");
    expect(st("meta-lora", "lora_sd1", { ss_base_model_version: "sdxl_base_v1-0" }).family).toBe("sdxl");
  });

  test("a UNet saved alone: SD1/SDXL from its cross-attention width", () => {
    const file = join(dir, "unet.safetensors");
    writeSafetensors(file, [
      { name: "input_blocks.0.0.weight", shape: [320, 4, 3, 3] },
      { name: "input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight", shape: [640, 2048] },
    ]);
    expect(identifyFile(file)).toMatchObject({ detected: "diffusion_model", family: "sdxl" });
  });
});

describe("GGUF", () => {
  test("a quantized Flux and a Z-Image diffusion model; a Qwen3 LLM by its architecture", () => {
    const flux = join(dir, "flux-q4.gguf");
    writeGguf(flux, TELLTALES.flux!.map((t) => ({ ...t, dtype: t.shape.length > 1 ? "q4_k" : "f32" })), { "general.architecture": "flux" });
    expect(identifyFile(flux)).toMatchObject({ detected: "diffusion_model", family: "flux", precision: "q4_k" });
    const z = join(dir, "z.gguf");
    writeGguf(z, TELLTALES["z-image"]!.map((t) => ({ ...t, dtype: "q8_0" })));
    expect(identifyFile(z)).toMatchObject({ detected: "diffusion_model", family: "z-image", precision: "q8_0" });
    const llm = join(dir, "Qwen3-4B-Q4_K_M.gguf");
    writeGguf(llm, [{ name: "blk.0.attn_q.weight", shape: [4096, 2560], dtype: "q4_k" }, { name: "token_embd.weight", shape: [151936, 2560], dtype: "q6_k" }], { "general.architecture": "qwen3" });
    expect(identifyFile(llm)).toMatchObject({ detected: "text_encoder", encoder: "llm", family: "qwen3" });
  });

  test("shapes come back in PyTorch order (GGUF stores ggml's ne)", () => {
    const file = join(dir, "shape.gguf");
    writeGguf(file, [{ name: "a", shape: [3, 5, 7], dtype: "f32" }], { "general.name": "x" });
    const h = readGgufHeader(file);
    expect(h.tensors[0]).toEqual({ name: "a", dtype: "f32", shape: [3, 5, 7] });
    expect(h.metadata["general.name"]).toBe("x");
  });
});

describe("damaged files: listed with a reason, never a crash", () => {
  test.each([
    ["truncated safetensors data", () => {
      const f = join(dir, "trunc.safetensors");
      writeSafetensors(f, TELLTALES.sd1!, {}, { truncateTo: 2000 });
      return f;
    }, /truncated/],
    ["truncated safetensors header", () => {
      const f = join(dir, "trunc-head.safetensors");
      writeSafetensors(f, TELLTALES.sd1!, {}, { truncateTo: 40 });
      return f;
    }, /truncated/],
    ["corrupt JSON", () => {
      const f = join(dir, "corrupt.safetensors");
      const json = Buffer.from('{"a": {"dtype": "F1');
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(json.length));
      writeFileSync(f, Buffer.concat([len, json]));
      return f;
    }, /not valid JSON/],
    ["an HTML error page saved as a model", () => {
      const f = join(dir, "page.safetensors");
      writeFileSync(f, "<!doctype html><html>Access denied</html>");
      return f;
    }, /not a model file/],
    ["an empty file", () => {
      const f = join(dir, "empty.gguf");
      writeFileSync(f, "");
      return f;
    }, /not a model file/],
    ["truncated GGUF", () => {
      const f = join(dir, "trunc.gguf");
      writeGguf(f, TELLTALES.flux!, {}, { truncateTo: 300 });
      return f;
    }, /truncated/],
    ["GGUF cut inside its header", () => {
      const f = join(dir, "cut.gguf");
      writeGguf(f, TELLTALES.flux!, {}, { truncateTo: 60 });
      return f;
    }, /truncated/],
    ["an impossible header length", () => {
      const f = join(dir, "huge.safetensors");
      const b = Buffer.alloc(16);
      b.writeBigUInt64LE(1n << 60n);
      b[8] = 0x7b;
      writeFileSync(f, b);
      return f;
    }, /not a safetensors file/],
  ])("%s", (_what, make, reason) => {
    const id = identifyFile(make());
    expect(id.detected).toBeNull();
    expect(id.problem).toMatch(reason);
  });
});

describe("PyTorch checkpoints without unpickling", () => {
  /** A torch-style zip: archive/data.pkl holding the names as SHORT_BINUNICODE strings, plus data members. */
  async function torchZip(file: string, names: string[]) {
    const pkl = Buffer.concat([Buffer.from([0x80, 0x02, 0x7d]), ...names.map((n) => Buffer.concat([Buffer.from([0x8c, n.length]), Buffer.from(n)])), Buffer.from(".")]);
    const zip = new yazl.ZipFile();
    zip.addBuffer(pkl, "archive/data.pkl", { compress: false });
    zip.addBuffer(Buffer.from("3"), "archive/version", { compress: false });
    zip.addBuffer(Buffer.alloc(64), "archive/data/0", { compress: false });
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    writeFileSync(file, Buffer.concat(chunks));
  }

  test("an SD1 .ckpt is recognised from the names in data.pkl; nothing is executed", async () => {
    const file = join(dir, "v1-5.ckpt");
    await torchZip(file, ["state_dict", "model.diffusion_model.input_blocks.0.0.weight", "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight", "first_stage_model.decoder.conv_in.weight"]);
    expect(identifyFile(file)).toMatchObject({ detected: "checkpoint", family: "sd1", precision: null });
  });

  test("a .pt embedding; a zip that is not a checkpoint; a truncated zip", async () => {
    const emb = join(dir, "style.pt");
    await torchZip(emb, ["string_to_token", "string_to_param", "name", "step"]);
    expect(identifyFile(emb)).toMatchObject({ detected: "embedding" });
    const other = join(dir, "other.ckpt");
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from("hi"), "readme.txt");
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    writeFileSync(other, Buffer.concat(chunks));
    expect(identifyFile(other).problem).toMatch(/no data\.pkl/);
    const cut = join(dir, "cut.ckpt");
    await torchZip(cut, ["model.diffusion_model.input_blocks.0.0.weight"]);
    writeFileSync(cut, (await Bun.file(cut).bytes()).subarray(0, statSync(cut).size - 30));
    expect(identifyFile(cut).problem).toBeString();
  });

  test("pickle string scan keeps dotted names only", () => {
    const pkl = Buffer.concat([Buffer.from([0x8c, 5]), Buffer.from("a.b.c"), Buffer.from([0x8c, 4]), Buffer.from("ctor"), Buffer.from([0x8c, 12]), Buffer.from("torch.Tensor")]);
    expect(pickleStrings(pkl)).toEqual(["a.b.c"]);
  });
});

describe("what a checkpoint carries", () => {
  test("an SD3 checkpoint without text encoders needs clip_l, clip_g and t5xxl; an SD1 checkpoint needs nothing", async () => {
    const { needsOf } = await import("../../models/companions");
    const sd3 = join(dir, "sd3.5_large.safetensors");
    writeSafetensors(sd3, [...TELLTALES.sd3!.map((t) => t), { name: "first_stage_model.decoder.conv_in.weight", shape: [512, 16, 3, 3] }]);
    const id = identifyFile(sd3);
    expect(id).toMatchObject({ detected: "checkpoint", family: "sd3", bundled: { vae: true, textEncoders: false } });
    expect(needsOf(id)).toEqual(["clip_l", "clip_g", "t5xxl"]);
    expect(needsOf(st("sd1-full", "sd1"))).toEqual([]);
  });
});

describe("sd.cpp version variants keep their family", async () => {
  const { sdVersion, familyOf } = await import("../../models/sd-version");
  const D = "model.diffusion_model.";
  test.each([
    ["SD1 inpaint (9 input channels)", [{ name: `${D}input_blocks.0.0.weight`, shape: [320, 9, 3, 3] }, { name: `${D}middle_block.1.x`, shape: [1] }, { name: "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight", shape: [49408, 768] }], "SD1_INPAINT", "sd1"],
    ["SDXL inpaint", [{ name: `${D}input_blocks.0.0.weight`, shape: [320, 9, 3, 3] }, { name: "conditioner.embedders.1.model.x", shape: [1] }], "SDXL_INPAINT", "sdxl"],
    ["Flux fill (384 input features)", [{ name: `${D}double_blocks.0.x`, shape: [1] }, { name: `${D}img_in.weight`, shape: [3072, 384] }], "FLUX_FILL", "flux"],
    ["Flux2 Klein (no single block 47)", [{ name: `${D}double_stream_modulation_img.lin.weight`, shape: [1] }, { name: `${D}double_blocks.0.x`, shape: [1] }], "FLUX2_KLEIN", "flux2"],
    ["Qwen-Image", [{ name: `${D}transformer_blocks.0.img_mod.1.weight`, shape: [1] }], "QWEN_IMAGE", "qwen-image"],
    ["Wan (cross-attention norm_k, patch embedding)", [{ name: `${D}blocks.0.cross_attn.norm_k.weight`, shape: [1] }, { name: `${D}patch_embedding.weight`, shape: [1536, 16, 1, 2, 2] }], "WAN2", "wan"],
    // A 5-D safetensors shape is read as 4-D (first two dims multiplied: safetensors_io.cpp), so 3072×48 → ne[3] 147456.
    ["Wan2.2 TI2V 5B (48-channel patch embedding)", [{ name: `${D}blocks.0.cross_attn.norm_k.weight`, shape: [1] }, { name: `${D}patch_embedding.weight`, shape: [3072, 48, 1, 2, 2] }], "WAN2_2_TI2V", "wan"],
    ["Wan2.2 I2V A14B (36 channels, no img_emb)", [{ name: `${D}blocks.0.cross_attn.norm_k.weight`, shape: [1] }, { name: `${D}patch_embedding.weight`, shape: [5120, 36, 1, 2, 2] }], "WAN2_2_I2V", "wan"],
    ["nothing known", [{ name: "foo.weight", shape: [1] }], null, null],
  ] as const)("%s", (_what, tensors, version, family) => {
    const v = sdVersion(tensors.map((t) => ({ ...t, dtype: "f16", shape: [...t.shape] })));
    expect(v).toBe(version);
    expect(v ? familyOf(v) : null).toBe(family);
  });
});
