/**
 * Small sample pictures as other tools write them, made in the test: our own
 * PNG, A1111/Forge and sd.cpp infotext PNGs, a ComfyUI PNG (API graph in the
 * `prompt` chunk, editor graph in `workflow`), Easy Diffusion 3 outputs with
 * .txt/.json sidecars, JPEG and WebP with EXIF UserComment.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encode as encodePng } from "fast-png";
import { encode as encodeJpeg } from "jpeg-js";
import { pngToWebp } from "../../pictures/convert";
import { writeJpegMetadata } from "../../pictures/metadata/exif";
import { replacePngText } from "../../pictures/metadata/png";
import { writeWebpMetadata } from "../../pictures/metadata/webp";

const fixtures = join(import.meta.dir, "..", "fixtures", "infotext");
export const infotext = (name: string) => readFileSync(join(fixtures, name), "utf8");

/** An RGBA gradient, distinct per `tint`. */
export function rgba(width: number, height: number, tint = 0): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data.set([(x * 255) / width, (y * 255) / height, tint & 255, 255], i);
    }
  return data;
}

export function png(width = 64, height = 48, text: Record<string, string> = {}, tint = 0): Uint8Array {
  const bytes = encodePng({ width, height, data: rgba(width, height, tint), channels: 4, depth: 8 });
  return Object.keys(text).length ? replacePngText(bytes, text) : bytes;
}

export function jpegWithInfotext(text: string, width = 64, height = 48): Uint8Array {
  const bytes = new Uint8Array(encodeJpeg({ width, height, data: rgba(width, height, 9) }, 85).data);
  return writeJpegMetadata(bytes, text, "");
}

export async function webpWithInfotext(text: string, width = 64, height = 48): Promise<Uint8Array> {
  return writeWebpMetadata(await pngToWebp(png(width, height, {}, 33), 80), text, "");
}

export const COMFY_GRAPH = {
  "3": { class_type: "KSampler", inputs: { seed: 8675309, steps: 24, cfg: 5.5, sampler_name: "dpmpp_2m", scheduler: "karras", denoise: 1, model: ["10", 0], positive: ["6", 0], negative: ["7", 0], latent_image: ["5", 0] } },
  "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "juggernautXL_v9.safetensors" } },
  "10": { class_type: "LoraLoader", inputs: { lora_name: "pixel_art.safetensors", strength_model: 0.8, strength_clip: 0.8, model: ["4", 0], clip: ["4", 1] } },
  "5": { class_type: "EmptyLatentImage", inputs: { width: 1024, height: 768, batch_size: 1 } },
  "6": { class_type: "CLIPTextEncode", inputs: { text: "a comfy armchair by the fireplace", clip: ["10", 1] } },
  "7": { class_type: "CLIPTextEncode", inputs: { text: "blurry, cold", clip: ["10", 1] } },
  "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", 2] } },
};

/** Writes one of each kind into `dir`; returns their file names. */
export async function writeSamples(dir: string) {
  const files = {
    a1111: "a1111.png",
    sdcpp: "sdcpp.png",
    comfy: "ComfyUI_00001_.png",
    ed3Txt: "ed3-txt.png",
    ed3Json: "ed3-json.jpeg",
    jpeg: "forge.jpg",
    webp: "forge.webp",
    plain: "plain.png",
    ed3Embedded: "ed3-embedded.png",
  };
  writeFileSync(join(dir, files.a1111), png(64, 48, { parameters: infotext("a1111-hires-lora.txt") }, 1));
  writeFileSync(join(dir, files.sdcpp), png(64, 64, { parameters: infotext("sdcpp.txt") }, 2));
  writeFileSync(join(dir, files.comfy), png(96, 72, { prompt: JSON.stringify(COMFY_GRAPH), workflow: JSON.stringify({ nodes: [] }) }, 3));
  writeFileSync(join(dir, files.ed3Txt), png(64, 48, {}, 4));
  writeFileSync(
    join(dir, "ed3-txt.txt"),
    "Prompt: an old castle\nin the mist\nNegative Prompt: people\nSeed: 31337\nStable Diffusion model: sd-v1-5.ckpt\nSampler: euler_a\nWidth: 512\nHeight: 512\nSteps: 25\nGuidance Scale: 7.5\nLoRA model: None\n",
  );
  writeFileSync(join(dir, files.ed3Json), new Uint8Array(encodeJpeg({ width: 32, height: 32, data: rgba(32, 32, 5) }, 80).data));
  writeFileSync(
    join(dir, "ed3-json.json"),
    JSON.stringify({ prompt: "a red fox in snow", negative_prompt: "", seed: 4242, use_stable_diffusion_model: "dreamshaper_8", sampler_name: "dpmpp_2m", num_inference_steps: 30, guidance_scale: 7, width: 768, height: 512, use_lora_model: ["fur_detail"], lora_alpha: [0.5] }),
  );
  writeFileSync(join(dir, files.jpeg), jpegWithInfotext(infotext("forge-flux.txt")));
  writeFileSync(join(dir, files.webp), await webpWithInfotext("a glass of water on a table\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 5, Size: 64x48, Model: webp_model"));
  writeFileSync(join(dir, files.plain), png(40, 30, {}, 6));
  // ED3 with "embed metadata": one PNG text chunk per setting, under its human names.
  writeFileSync(join(dir, files.ed3Embedded), png(48, 48, { Prompt: "a paper boat", "Negative Prompt": "", Seed: "77", "Stable Diffusion model": "sd-v1-5", Sampler: "dpm2", Steps: "15", "Guidance Scale": "8" }, 7));
  writeFileSync(join(dir, "notes.txt"), "not a picture");
  return files;
}
