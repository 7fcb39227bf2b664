/** Text encoders go to the sd-server flag their header says; the file name decides only when the header does not tell. */
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolvePaths } from "../../core/paths";
import { resolveModels, UnusableLoraError } from "../../models/resolve";
import { searchPath } from "../../models/roots";
import { toModelSet } from "../../models/model-set";
import { TELLTALES, writeGguf, writeSafetensors } from "./fixtures";
import { tempTree } from "./harness";

const tree = tempTree("ed-resolve-");
afterAll(tree.remove);

test("a CLIP-L named text_encoder.safetensors goes to clip_l, a Qwen3 GGUF to llm, an unreadable t5xxl file by its name", () => {
  const paths = resolvePaths({ home: tree.dir, platform: "linux", ci: true }, { dataDir: tree.dir });
  writeSafetensors(join(paths.models, "diffusion_models/flux.safetensors"), TELLTALES.flux!);
  writeSafetensors(join(paths.models, "text_encoders/text_encoder.safetensors"), TELLTALES.clip_l!);
  writeGguf(join(paths.models, "text_encoders/encoder-b.gguf"), [{ name: "blk.0.attn_q.weight", shape: [4096, 2560], dtype: "q4_k" }], { "general.architecture": "qwen3" });
  writeFileSync(join(paths.models, "text_encoders/t5xxl_fp16.safetensors"), "not readable");
  const models = resolveModels(searchPath(paths), { model: "flux.safetensors", text_encoders: ["text_encoder.safetensors", "encoder-b.gguf", "t5xxl_fp16.safetensors"], loras: [] });
  expect(models.textEncoderSlots).toEqual(["clipL", "llm", null]);
  const set = toModelSet(models);
  expect(set.clipL).toEndWith("text_encoder.safetensors");
  expect(set.llm).toEndWith("encoder-b.gguf");
  expect(set.t5xxl).toEndWith("t5xxl_fp16.safetensors");
});

test("LoRAs go to sd-server relative to the one LoRA folder it is given; LoRAs from two roots are refused with the reason", () => {
  const data = join(tree.dir, "lora-roots");
  const paths = resolvePaths({ home: data, platform: "linux", ci: true }, { dataDir: data });
  const webui = join(tree.dir, "webui-roots");
  for (const dir of [join(paths.models, "stable-diffusion"), join(paths.models, "lora", "sub"), join(webui, "models", "Lora"), join(webui, "models", "Stable-diffusion")]) mkdirSync(dir, { recursive: true });
  writeSafetensors(join(paths.models, "stable-diffusion/sd.safetensors"), TELLTALES.sd1!);
  writeFileSync(join(paths.models, "lora/sub/mine.safetensors"), "lora");
  writeFileSync(join(webui, "models/Lora/theirs.safetensors"), "lora");
  const search = searchPath(paths, [webui]);
  const mine = resolveModels(search, { model: "sd.safetensors", text_encoders: [], loras: [{ name: "sub/mine", weight: 1 }] });
  expect([mine.loraDir, mine.loras[0]!.enginePath]).toEqual([join(paths.models, "lora"), "sub/mine.safetensors"]);
  const theirs = resolveModels(search, { model: "sd.safetensors", text_encoders: [], loras: [{ name: "theirs", weight: 1 }] });
  expect([theirs.loraDir, theirs.loras[0]!.enginePath]).toEqual([join(webui, "models/Lora"), "theirs.safetensors"]);
  expect(() => resolveModels(search, { model: "sd.safetensors", text_encoders: [], loras: [{ name: "sub/mine", weight: 1 }, { name: "theirs", weight: 1 }] })).toThrow(UnusableLoraError);
});
