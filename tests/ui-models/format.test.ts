/** The Model Browser's pure text and choices: filter, sort, grouping, the starting model, companion picks, errors as sentences. */
import { describe, expect, test } from "bun:test";
import { ApiFailure } from "../../ui/src/api/http";
import type { Companions, ModelEntry } from "../../ui/src/apps/models/models-api";
import { companionPicks, entryFacts, errorSentence, filterEntries, groupByKind, memoryText, startingModel } from "../../ui/src/apps/models/models-format";

const entry = (over: Partial<ModelEntry>): ModelEntry => ({
  kind: "stable-diffusion",
  name: "m.safetensors",
  file: "/d/models/stable-diffusion/m.safetensors",
  folder: "/d/models/stable-diffusion",
  root: "app",
  layout: "app",
  size: 2 * 1024 ** 3,
  mtime: 1,
  format: "safetensors",
  detected: "checkpoint",
  family: "sd1",
  precision: "f16",
  usable: true,
  sha256: null,
  shortHash: null,
  needs: [],
  civitai: null,
  ...over,
});

describe("model browser text", () => {
  const list = [
    entry({ name: "b.safetensors", size: 10, mtime: 3 }),
    entry({ name: "a.safetensors", family: "sdxl", size: 30, mtime: 2, shortHash: "31e35c80fc" }),
    entry({ kind: "lora", name: "detail.safetensors", family: "sdxl", size: 20, mtime: 5, civitai: { name: "Detail Tweaker" } as ModelEntry["civitai"] }),
    entry({ kind: "diffusion_models", name: "flux.gguf", family: "flux", precision: "q4_k", needs: ["vae", "clip_l", "t5xxl"] }),
    entry({ name: "notes.safetensors", usable: false, problem: "damaged", family: null, precision: null }),
  ];

  test("facts, filter and sort", () => {
    expect(entryFacts(list[1]!)).toBe("SDXL · 0 KB · f16 · 31e35c80fc");
    expect(entryFacts(list[3]!)).toBe("Flux · 2.00 GB · q4_k");
    expect(filterEntries(list, "sdxl").map((e) => e.name)).toEqual(["a.safetensors", "detail.safetensors"]);
    expect(filterEntries(list, "tweaker").map((e) => e.name)).toEqual(["detail.safetensors"]);
    expect(filterEntries(list, "unreadable").map((e) => e.name)).toEqual(["notes.safetensors"]);
    expect(filterEntries(list.slice(0, 3), "", "size").map((e) => e.name)).toEqual(["a.safetensors", "detail.safetensors", "b.safetensors"]);
    expect(filterEntries(list.slice(0, 3), "", "newest").map((e) => e.name)).toEqual(["detail.safetensors", "b.safetensors", "a.safetensors"]);
    expect(groupByKind(list).map(([k, l]) => [k, l.length])).toEqual([
      ["stable-diffusion", 3],
      ["diffusion_models", 1],
      ["lora", 1],
    ]);
    expect(memoryText({ vramGb: 4, ramGb: 8 })).toBe("4 GB VRAM or 8 GB RAM");
  });

  test("a fresh tab starts on the last used model while it is usable, else the first usable one", () => {
    const kinds = { "stable-diffusion": ["a.safetensors", "b.safetensors"], diffusion_models: ["flux.gguf"], vae: ["ae.safetensors"], text_encoders: ["clip_l.safetensors"] };
    expect(startingModel({ kinds, lastUsed: { model: "flux.gguf", vae: "ae.safetensors", text_encoders: ["clip_l.safetensors", "gone.safetensors"] } })).toEqual({
      model: "flux.gguf",
      vae: "ae.safetensors",
      text_encoders: ["clip_l.safetensors"],
    });
    expect(startingModel({ kinds, lastUsed: { model: "deleted.safetensors", text_encoders: [] } })).toEqual({ model: "a.safetensors", vae: "", text_encoders: [] });
    expect(startingModel({ kinds: {}, lastUsed: null })).toBeNull();
  });

  test("companions: installed ones fill what the form lacks; a VAE of another family is replaced", () => {
    const c: Companions = {
      family: "flux",
      needs: [
        { role: "vae", kind: "vae", installed: ["ae.safetensors"], suggested: "ae.safetensors", catalog: null },
        { role: "clip_l", kind: "text_encoders", installed: ["clip_l.safetensors"], suggested: null, catalog: null },
        { role: "t5xxl", kind: "text_encoders", installed: [], suggested: null, catalog: "flux-t5" },
      ],
    };
    expect(companionPicks(c, { vae: "sd-vae.safetensors", text_encoders: [] })).toEqual({ vae: "ae.safetensors", text_encoders: ["clip_l.safetensors"] });
    expect(companionPicks(c, { vae: "ae.safetensors", text_encoders: ["clip_l.safetensors"] })).toEqual({});
  });

  test("401 and 403 say a token or licence acceptance is needed", () => {
    expect(errorSentence(new ApiFailure(403, "forbidden", "Hugging Face answered 403 for black-forest-labs/FLUX.1-dev")).needsToken).toBe(true);
    expect(errorSentence(new ApiFailure(401, "unauthorized", "x")).text).toBe("This needs a token or licence acceptance: x");
    expect(errorSentence(new ApiFailure(404, "not_found", "no such file"))).toEqual({ text: "no such file", needsToken: false });
  });
});
