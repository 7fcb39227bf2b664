import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { embedMetadata, metadataRequest } from "../../queue/outputs";

/** What reading gives back of the JSON we write: the request fields, without `mode` (that comes as ImageMetadata.mode). */
const asRead = ({ mode: _mode, ...settings }: ReturnType<typeof metadataRequest>) => JSON.parse(JSON.stringify(settings));
import { imageRequestSchema, resolveRequest } from "../../common/image-request";
import { readJpegMetadata } from "../../pictures/metadata/exif";
import { formatInfotext, parseInfotext } from "../../common/infotext";
import { readChunks, readPngText, replacePngText, writeChunks } from "../../pictures/metadata/png";
import { readImageMetadata } from "../../pictures/metadata/read";
import { readWebpMetadata, readXmpJson, xmpPacket } from "../../pictures/metadata/webp";
import decodeWebp from "@jsquash/webp/decode.js";
import { encode as encodePng } from "fast-png";
import { infotextToSettings } from "../../common/infotext-settings";
import { JPEG_8x8, png, WEBP_8x8 } from "../queue/images";

const fixture = (name: string) => readFileSync(join(import.meta.dir, "../fixtures/infotext", name), "utf8");

const request = resolveRequest(
  imageRequestSchema.parse({
    prompt: "a lighthouse, sunset: golden \"hour\"\nsecond line, ünïcode ☀ <lora:styles/film:0.7>",
    negative_prompt: "blurry, lowres",
    seed: 123456789,
    steps: 28,
    cfg_scale: 6.5,
    guidance: 3.5,
    sampler: "dpm++2m",
    scheduler: "karras",
    width: 832,
    height: 1216,
    clip_skip: 2,
    num_images: 1,
    model: "sdxl/juggernaut.safetensors",
    vae: "sdxl_vae.safetensors",
    loras: [{ name: "detail", weight: 0.5 }],
    hires: { scale: 1.5, steps: 10, upscaler: "Latent (nearest-exact)", denoising_strength: 0.45 },
  }),
  { format: "png", quality: 90 },
);
const extras = { modelHash: "31e35c80fc", loraHashes: { "styles/film": "7c6bad76eb54", detail: "1a2b3c4d5e6f" } };

describe("our metadata round-trips", () => {
  test("PNG: parameters + JSON chunk → the same request; the engine's parameters chunk is replaced", async () => {
    const engine = png(8, 8, { parameters: "engine text\nSteps: 1, Sampler: euler, Seed: 1, SDCPP: {}" });
    const out = await embedMetadata(engine, request, extras);
    expect(out).toMatchObject({ format: "png", width: 8, height: 8 });
    const text = readPngText(out.bytes);
    expect(text.parameters).not.toContain("engine text");
    expect(readChunks(out.bytes).filter((c) => ["tEXt", "iTXt"].includes(c.type))).toHaveLength(2);
    const meta = readImageMetadata(out.bytes);
    expect(meta.source).toBe("easy-diffusion");
    expect(meta.settings).toEqual(asRead(metadataRequest(request)));
    // How it was made rides beside the settings (not a request field); a txt2img picture has no strength.
    expect(meta.mode).toBe("txt2img");
    expect("strength" in meta.settings).toBe(false);
    expect(imageRequestSchema.parse(meta.settings)).toMatchObject({ prompt: request.prompt, loras: request.loras, seed: request.seed });
  });

  test("PNG infotext alone (as A1111/civitai read it) gives back the settings", async () => {
    const out = await embedMetadata(png(), request, extras);
    const parameters = readPngText(out.bytes).parameters!;
    expect(parameters.split("\n").at(-1)).toBe(
      'Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Distilled CFG Scale: 3.5, Seed: 123456789, Size: 832x1216, Model hash: 31e35c80fc, Model: juggernaut, VAE: sdxl_vae.safetensors, Denoising strength: 0.45, Clip skip: 2, Hires upscale: 1.5, Hires steps: 10, Hires upscaler: Latent (nearest-exact), Lora hashes: "detail: 1a2b3c4d5e6f, film: 7c6bad76eb54", Version: Easy Diffusion ' +
        (parameters.split("Version: Easy Diffusion ")[1] ?? ""),
    );
    const settings = infotextToSettings(parseInfotext(parameters));
    expect(settings).toEqual({
      prompt: request.prompt,
      negative_prompt: "blurry, lowres",
      loras: [{ name: "detail", weight: 0.5 }, { name: "film", weight: 0.7 }],
      steps: 28,
      sampler: "dpm++2m",
      scheduler: "karras",
      cfg_scale: 6.5,
      guidance: 3.5,
      seed: 123456789,
      width: 832,
      height: 1216,
      model: "juggernaut",
      vae: "sdxl_vae.safetensors",
      clip_skip: 2,
      hires: { scale: 1.5, steps: 10, upscaler: "Latent (nearest-exact)", denoising_strength: 0.45 },
    });
  });

  test("JPEG: infotext in EXIF UserComment, request in a comment; replaced, not duplicated", async () => {
    const once = await embedMetadata(JPEG_8x8, request, extras);
    const twice = await embedMetadata(once.bytes, { ...request, seed: 5 }, extras);
    expect(twice).toMatchObject({ format: "jpeg", width: 8, height: 8 });
    const raw = readJpegMetadata(twice.bytes);
    expect(raw.userComment).toContain("Seed: 5,");
    expect(raw.userComment).toStartWith("a lighthouse, sunset");
    const meta = readImageMetadata(twice.bytes);
    expect(meta.source).toBe("easy-diffusion");
    expect(meta.settings).toEqual(asRead(metadataRequest({ ...request, seed: 5 })));
    expect(Buffer.from(twice.bytes).toString("latin1").split("Exif\0\0").length).toBe(2);
  });

  test("WebP: infotext in an EXIF chunk, request in XMP (simple file turned extended), replaced on rewrite", async () => {
    const out = await embedMetadata(WEBP_8x8, request, extras);
    expect(out).toMatchObject({ format: "webp", width: 8, height: 8 });
    const again = await embedMetadata(out.bytes, { ...request, seed: 77 }, extras);
    const meta = readImageMetadata(again.bytes);
    expect(meta).toMatchObject({ format: "webp", source: "easy-diffusion" });
    expect(meta.settings).toEqual(asRead(metadataRequest({ ...request, seed: 77 })));
    const raw = readWebpMetadata(again.bytes);
    expect(infotextToSettings(parseInfotext(raw.userComment!))).toMatchObject({ prompt: request.prompt, seed: 77, steps: 28, sampler: "dpm++2m", scheduler: "karras" });
    const chunks = Buffer.from(again.bytes).toString("latin1");
    expect(chunks.split("EXIF").length).toBe(2);
    expect(chunks.split("XMP ").length).toBe(2);
    expect(chunks.indexOf("VP8X")).toBe(12);
    // The RIFF size covers the file; the image bitstream is untouched.
    expect(new DataView(again.bytes.buffer).getUint32(4, true)).toBe(again.bytes.length - 8);
    expect(chunks).toContain(Buffer.from(WEBP_8x8.subarray(12)).toString("latin1"));
  });

  test("image data is not embedded", async () => {
    const withInit = { ...request, init_image: `data:image/png;base64,${Buffer.from(png()).toString("base64")}`, strength: 0.3 };
    const text = readPngText((await embedMetadata(png(), withInit, extras)).bytes);
    expect(text["easy-diffusion"]).not.toContain("base64");
    expect(text.parameters).toContain("Denoising strength: 0.3");
  });
});

describe("reading other tools' metadata", () => {
  test("A1111 with hires, LoRAs, quoted hashes", () => {
    const s = infotextToSettings(parseInfotext(fixture("a1111-hires-lora.txt")));
    expect(s).toEqual({
      prompt: "masterpiece, best quality, a lighthouse on a cliff at sunset,\ndramatic clouds",
      negative_prompt: "lowres, bad anatomy, watermark, easynegative",
      loras: [{ name: "add_detail", weight: 0.6 }, { name: "film_grain", weight: 0.3 }],
      steps: 28,
      sampler: "dpm++2m",
      scheduler: "karras",
      cfg_scale: 6.5,
      seed: 1234567890,
      width: 832,
      height: 1216,
      model: "sd_xl_base_1.0",
      vae: "sdxl_vae.safetensors",
      clip_skip: 2,
      hires: { scale: 1.5, steps: 12, upscaler: "Latent (nearest-exact)", denoising_strength: 0.45 },
    });
    expect(parseInfotext(fixture("a1111-hires-lora.txt")).params["Lora hashes"]).toBe("add_detail: 7c6bad76eb54, film_grain: 1a2b3c4d5e6f");
  });

  test("old A1111 sampler names carry the schedule; img2img denoising is strength", () => {
    const s = infotextToSettings(parseInfotext(fixture("a1111-old-img2img.txt")));
    expect(s).toMatchObject({ prompt: 'portrait of an old sailor, oil painting, "weathered" face', sampler: "dpm++2m", scheduler: "karras", strength: 0.6, width: 512, height: 768, seed: 42 });
    expect(s.hires).toBeUndefined();
  });

  test("Forge Flux: distilled CFG", () => {
    const s = infotextToSettings(parseInfotext(fixture("forge-flux.txt")));
    expect(s).toMatchObject({ prompt: "a red fox sitting in fresh snow, morning light, 35mm photo", negative_prompt: "", sampler: "euler", scheduler: "simple", cfg_scale: 1, guidance: 3.5, seed: 3187654321, width: 896, height: 1152 });
  });

  test("sd.cpp with its SDCPP json, in a PNG tEXt chunk", () => {
    const meta = readImageMetadata(png(8, 8, { parameters: fixture("sdcpp.txt").trim() }));
    expect(meta.source).toBe("sdcpp");
    expect(meta.settings).toEqual({ prompt: "a photo of a cat", negative_prompt: "", steps: 2, sampler: "euler_a", cfg_scale: 7, guidance: 3.5, seed: 42, width: 64, height: 64, model: "sd1-tiny-random-f16.safetensors" });
    const neg = infotextToSettings(parseInfotext(fixture("sdcpp-negative.txt")));
    expect(neg).toMatchObject({ prompt: "a castle on a hill, fantasy art, highly detailed", negative_prompt: "blurry, low quality", sampler: "dpm++2m", scheduler: "karras", cfg_scale: 5.5, clip_skip: 2, steps: 24, width: 768, height: 512 });
  });

  test("tEXt with UTF-8 bytes (as sd.cpp writes it) reads as UTF-8; real Latin-1 stays Latin-1", () => {
    const base = readChunks(png());
    const chunk = (bytes: Uint8Array) => writeChunks([base[0]!, { type: "tEXt", data: Buffer.concat([Buffer.from("parameters\0"), bytes]) }, ...base.slice(1)]);
    const utf8 = chunk(Buffer.from("un café ☕\nSteps: 3, Seed: 9, Size: 64x64", "utf8"));
    expect(readPngText(utf8).parameters).toStartWith("un café ☕");
    const latin = chunk(Buffer.from("un café\nSteps: 3, Seed: 9, Size: 64x64", "latin1"));
    expect(readPngText(latin).parameters).toStartWith("un café");
  });

  test("EXIF UserComment in little-endian TIFF with UTF-16LE (other writers) and ASCII", async () => {
    const { readUserComment } = await import("../../pictures/metadata/exif");
    const tiff = (prefix: string, body: Buffer) => {
      const comment = Buffer.concat([Buffer.from(prefix, "latin1"), body]);
      const t = Buffer.alloc(44 + comment.length);
      t.write("II*\0", 0, "latin1");
      t.writeUInt32LE(8, 4);
      t.writeUInt16LE(1, 8);
      t.writeUInt16LE(0x8769, 10);
      t.writeUInt16LE(4, 12);
      t.writeUInt32LE(1, 14);
      t.writeUInt32LE(26, 18);
      t.writeUInt16LE(1, 26);
      t.writeUInt16LE(0x9286, 28);
      t.writeUInt16LE(7, 30);
      t.writeUInt32LE(comment.length, 32);
      t.writeUInt32LE(44, 36);
      comment.copy(t, 44);
      return new Uint8Array(t);
    };
    expect(readUserComment(tiff("UNICODE\0", Buffer.from("café\nSteps: 5", "utf16le")))).toBe("café\nSteps: 5");
    expect(readUserComment(tiff("ASCII\0\0\0", Buffer.from("a cat\nSteps: 5", "latin1")))).toBe("a cat\nSteps: 5");
    expect(readUserComment(new Uint8Array(4))).toBeNull();
  });

  test("zTXt and compressed iTXt chunks are read", () => {
    const enc = new TextEncoder();
    const base = readChunks(png());
    const z = { type: "zTXt", data: Buffer.concat([enc.encode("parameters\0\0"), deflateSync(enc.encode(fixture("forge-flux.txt")))]) };
    const withZ = writeChunks([base[0]!, z, ...base.slice(1)]);
    expect(readImageMetadata(withZ).settings.seed).toBe(3187654321);
    const it = { type: "iTXt", data: Buffer.concat([enc.encode("parameters\0\x01\0en\0\0"), deflateSync(enc.encode("ünï\nSteps: 3, Seed: 9, Size: 64x64"))]) };
    const withI = writeChunks([base[0]!, it, ...base.slice(1)]);
    expect(readImageMetadata(withI).settings).toMatchObject({ prompt: "ünï", steps: 3, seed: 9 });
  });

  test("images without settings, and non-images", () => {
    expect(readImageMetadata(png())).toMatchObject({ format: "png", source: "none", settings: {} });
    expect(readImageMetadata(WEBP_8x8).source).toBe("none");
    expect(() => readImageMetadata(new TextEncoder().encode("hello"))).toThrow("not a PNG, JPEG or WebP");
  });

  test("a long infotext survives (compressed iTXt)", () => {
    const long = { ...request, prompt: "ü".repeat(9000), negative_prompt: "x".repeat(9000) };
    const out = replacePngText(png(), { parameters: formatInfotext(long, { version: "t" }) });
    expect(parseInfotext(readPngText(out).parameters!).prompt).toContain("ü".repeat(9000));
  });
});

describe("JPEG from a PNG-only engine", () => {
  test("a PNG answer becomes a JPEG with our metadata when JPEG was asked for", async () => {
    const out = await embedMetadata(png(64, 32), { ...request, output_format: "jpeg", output_quality: 80 }, extras);
    expect(out).toMatchObject({ format: "jpeg", width: 64, height: 32 });
    expect([...out.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const meta = readImageMetadata(out.bytes);
    expect(meta).toMatchObject({ format: "jpeg", source: "easy-diffusion" });
    expect(meta.settings.seed).toBe(request.seed);
    expect(meta.parameters).toContain("Seed: 123456789");
  });

  test("a damaged engine image is reported, not written", () => {
    const broken = png(8, 8).slice(0, 40);
    expect(embedMetadata(broken, { ...request, output_format: "jpeg" })).rejects.toThrow("damaged png image");
  });
});

describe("WebP from a PNG-only engine", () => {
  test("a PNG answer becomes a lossy WebP at the asked quality, alpha kept, with our metadata", async () => {
    const width = 96;
    const height = 64;
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba.set([(i * 7) % 256, (i >> 4) % 256, 90, i % width < 16 ? 0 : 255], i * 4);
    const source = encodePng({ width, height, data: rgba, channels: 4 });
    const high = await embedMetadata(source, { ...request, output_format: "webp", output_quality: 95 }, extras);
    const low = await embedMetadata(source, { ...request, output_format: "webp", output_quality: 10 }, extras);
    expect(high).toMatchObject({ format: "webp", width, height });
    expect(low.bytes.length).toBeLessThan(high.bytes.length);
    const decoded = await decodeWebp(high.bytes.slice().buffer as ArrayBuffer);
    expect([decoded.width, decoded.height]).toEqual([width, height]);
    expect(decoded.data[3]).toBe(0); // the transparent left band stays transparent
    expect(decoded.data[(width - 1) * 4 + 3]).toBe(255);
    let blue = 0;
    for (let y = 0; y < height; y++) for (let x = 16; x < width; x++) blue += decoded.data[(y * width + x) * 4 + 2]!;
    expect(Math.abs(blue / (height * (width - 16)) - 90)).toBeLessThan(6); // the pixels, not just the size
    const meta = readImageMetadata(high.bytes);
    expect(meta).toMatchObject({ format: "webp", source: "easy-diffusion", settings: { output_format: "webp", output_quality: 95, seed: request.seed } });
  });

  test("XMP holding JSON with markup characters round-trips", () => {
    const json = JSON.stringify({ prompt: 'a <b> & "c" ☀ </ed:request>' });
    expect(readXmpJson(xmpPacket(json))).toBe(json);
  });
});

