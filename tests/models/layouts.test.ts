/** Layout recognition (pure) and the search path over real temporary A1111, ComfyUI and ED3 trees. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { recogniseLayout } from "../../models/layouts";
import { locateModel } from "../../models/resolve";
import { extraRoot, searchPath } from "../../models/roots";
import { resolvePaths } from "../../core/paths";
import { TELLTALES, writeSafetensors } from "./fixtures";
import { tempTree } from "./harness";

const tree = tempTree("ed-layouts-");
afterAll(tree.remove);

function make(root: string, folders: string[]) {
  for (const f of folders) mkdirSync(join(root, f), { recursive: true });
  return root;
}

describe("recogniseLayout (pure)", () => {
  test("A1111 from its tree root: models/ folders and the root's embeddings", () => {
    const r = recogniseLayout(["models", "embeddings", "extensions"], ["Stable-diffusion", "Lora", "VAE", "ESRGAN", "ControlNet"])!;
    expect(r.layout).toBe("a1111");
    expect(r.folders["stable-diffusion"]).toEqual(["models/Stable-diffusion"]);
    expect(r.folders.lora).toEqual(["models/Lora"]);
    expect(r.folders.embeddings).toEqual(["embeddings"]);
    expect(r.folders.realesrgan).toEqual(["models/ESRGAN"]);
  });

  test("A1111 given as its models/ folder: embeddings found at the parent", () => {
    const r = recogniseLayout(["Stable-diffusion", "Lora"], null, ["models", "embeddings"])!;
    expect(r.layout).toBe("a1111");
    expect(r.folders["stable-diffusion"]).toEqual(["Stable-diffusion"]);
    expect(r.folders.embeddings).toEqual(["../embeddings"]);
  });

  test("ComfyUI: checkpoints, loras, unet and diffusion_models, clip, upscale_models, vae_approx", () => {
    const r = recogniseLayout(["checkpoints", "loras", "unet", "diffusion_models", "clip", "text_encoders", "upscale_models", "vae", "vae_approx", "embeddings", "controlnet"], null)!;
    expect(r.layout).toBe("comfyui");
    expect(r.folders["stable-diffusion"]).toEqual(["checkpoints"]);
    expect(r.folders.diffusion_models).toEqual(["diffusion_models", "unet"]);
    expect(r.folders.text_encoders).toEqual(["text_encoders", "clip"]);
    expect(r.folders.realesrgan).toEqual(["upscale_models"]);
    expect(r.folders.taesd).toEqual(["vae_approx"]);
  });

  test("Easy Diffusion 3 (tree root with models/)", () => {
    const r = recogniseLayout(["models", "installer_files"], ["stable-diffusion", "lora", "vae", "hypernetwork", "gfpgan", "realesrgan", "codeformer", "embeddings", "controlnet"])!;
    expect(r.layout).toBe("ed3");
    expect(r.folders.lora).toEqual(["models/lora"]);
    expect(r.folders.realesrgan).toEqual(["models/realesrgan"]);
  });

  test("a folder with no model folders is not a layout", () => {
    expect(recogniseLayout(["Documents", "Music"], null)).toBeNull();
  });
});

describe("search path over temporary trees", () => {
  const a1111 = make(join(tree.dir, "sd-webui"), ["models/Stable-diffusion", "models/Lora", "embeddings"]);
  const comfy = make(join(tree.dir, "ComfyUI", "models"), ["checkpoints", "loras", "diffusion_models"]);
  const data = join(tree.dir, "data");
  const paths = resolvePaths({ home: data, platform: "linux", ci: true }, { dataDir: data });
  writeSafetensors(join(a1111, "models/Stable-diffusion/dreamshaper.safetensors"), TELLTALES.sd1!);
  writeSafetensors(join(comfy, "checkpoints/dreamshaper.safetensors"), TELLTALES.sd1!);
  writeSafetensors(join(comfy, "diffusion_models/flux.safetensors"), TELLTALES.flux!);
  writeSafetensors(join(paths.models, "stable-diffusion/mine.safetensors"), TELLTALES.sd1!);

  test("roots in order: app first, then each extra folder with its layout; a bad folder keeps an error", () => {
    const search = searchPath(paths, [a1111, comfy, join(tree.dir, "nope")]);
    expect(search.map((r) => [r.id === "app" ? "app" : r.layout, !!r.error])).toEqual([["app", false], ["a1111", false], ["comfyui", false], ["app", true]]);
    expect(extraRoot(join(tree.dir, "nope")).error).toMatch(/does not exist/);
  });

  test("lookup by name: the app folder, then the first extra root that has it", () => {
    const search = searchPath(paths, [a1111, comfy]);
    expect(locateModel(search, "stable-diffusion", "mine.safetensors")?.file).toBe(join(paths.models, "stable-diffusion/mine.safetensors"));
    expect(locateModel(search, "stable-diffusion", "dreamshaper.safetensors")?.file).toBe(join(a1111, "models/Stable-diffusion/dreamshaper.safetensors"));
    expect(locateModel(search, "diffusion_models", "flux")?.file).toBe(join(comfy, "diffusion_models/flux.safetensors"));
    expect(locateModel(search, "stable-diffusion", "../../../etc/passwd")).toBeNull();
  });
});

describe("configured folder names", () => {
  test("~/ is the home folder; a relative path is from the config file's folder; the app's own folder is not added twice", async () => {
    const { expandFolder, searchPath } = await import("../../models/roots");
    expect(expandFolder("~/sd/models", "/etc/ed", "/home/me")).toBe("/home/me/sd/models");
    expect(expandFolder("webui", "/etc/ed", "/home/me")).toBe("/etc/ed/webui");
    const data = join(tree.dir, "data2");
    const paths = resolvePaths({ home: data, platform: "linux", ci: true }, { dataDir: data });
    expect(searchPath(paths, [paths.models, "  ", data]).length).toBe(1);
  });
});

test("a models folder that happens to hold an unrelated models/ sub-folder is still recognised", () => {
  const dir = make(join(tree.dir, "odd"), ["checkpoints", "loras", "models/junk"]);
  const root = extraRoot(dir);
  expect(root.error).toBeUndefined();
  expect(root.layout).toBe("comfyui");
  expect(root.folders["stable-diffusion"]).toEqual([join(dir, "checkpoints")]);
});
