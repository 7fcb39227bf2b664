/** The Hugging Face base: config when set, else HF_ENDPOINT, else the default; read through core/env.ts. */
import { expect, test } from "bun:test";
import { defaultConfig } from "../../core/config/schema";
import { readEnv } from "../../core/env";
import { civitaiBase, huggingfaceBase } from "../../models/hosts";

test("HF_ENDPOINT replaces the default base, not one the user set", () => {
  const models = defaultConfig().models;
  expect(huggingfaceBase(models, readEnv({}))).toBe("https://huggingface.co");
  expect(huggingfaceBase(models, readEnv({ HF_ENDPOINT: "https://hf-mirror.example/" }))).toBe("https://hf-mirror.example");
  expect(huggingfaceBase({ huggingface_base: "http://127.0.0.1:9/" }, readEnv({ HF_ENDPOINT: "https://hf-mirror.example" }))).toBe("http://127.0.0.1:9");
  expect(civitaiBase(models)).toBe("https://civitai.com");
});

test("the models config section has every contract key with its default", () => {
  expect(defaultConfig().models).toEqual({
    extra_folders: [],
    civitai_lookup: true,
    warm_start: true,
    idle_unload_minutes: 0,
    huggingface_base: "https://huggingface.co",
    civitai_base: "https://civitai.com",
    huggingface_token: "",
    civitai_token: "",
    guest_downloads: false,
  });
});
