/** Text encoders go to the sd-server flag their header says; the file name decides only when the header does not tell. */
import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolvePaths } from "../../launcher/paths";
import { resolveModels } from "../../models/resolve";
import { searchPath } from "../../models/roots";
import { toModelSet } from "../../queue/translate";
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
