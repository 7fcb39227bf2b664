/**
 * The shipped starter catalogue can be downloaded by anyone: every starter
 * file has its exact size and sha256 recorded (so a mirror is accepted only
 * when byte-identical) and at least one source that needs no account, unless
 * its entry says it needs one; the rule itself (catalogProblems) refuses the
 * catalogues that break it. The recommendation, without a token, is always a
 * starter that downloads without an account, and says so.
 */
import { describe, expect, test } from "bun:test";
import { catalogProblems, gatedOnlyFiles, loadCatalog, recommend, repositoryPage, sourceLabel, type MachineMemory } from "../../models/net/catalog";

const HF = "https://huggingface.co";
const shipped = loadCatalog(undefined, HF);
const MACHINES: MachineMemory[] = [
  { gpu: false, vramGb: 0, ramGb: 8 },
  { gpu: true, vramGb: 2, ramGb: 16 },
  { gpu: true, vramGb: 6, ramGb: 16 },
  { gpu: true, vramGb: 8, ramGb: 16 },
  { gpu: true, vramGb: 12, ramGb: 16 },
  { gpu: true, vramGb: 16, ramGb: 32 },
  { gpu: true, vramGb: 24, ramGb: 64 },
];

const entryYaml = (id: string, file: string, extra = "") => `
  - id: ${id}
    title: ${id}
    family: flux
    description: x
    licence: MIT
    licenceUrl: "{hf}/x"
    memory: { vramGb: 8, ramGb: 8 }${extra}
    files:
${file}
    set: { model: a.gguf }`;
const GATED_FILE = `      - kind: vae
        name: ae.safetensors
        size: 335304388
        sha256: afc8e28272cd15db3919bacdb6918ce9c1ed22e96cb12c4d5ed0fba823529e38
        sources:
          - { url: "{hf}/black-forest-labs/FLUX.1-schnell/resolve/main/ae.safetensors", gated: true }`;

describe("the shipped catalogue", () => {
  test("has no problem: every file with an exact size and sha256, every no-account entry with an open source for each file", () => {
    expect(catalogProblems(shipped)).toEqual([]);
    for (const e of shipped)
      for (const f of e.files) {
        expect(f.sha256, `${e.id}/${f.name}`).toMatch(/^[0-9a-f]{64}$/);
        expect(f.size, `${e.id}/${f.name}`).toBeGreaterThan(1_000_000);
        expect(f.sources.length).toBeGreaterThan(0);
        if (!e.needsAccount) expect(f.sources.some((s) => !s.gated), `${e.id}/${f.name} has an open source`).toBe(true);
      }
  });

  test("no starter uses the deleted runwayml repository; SD 1.5 comes from the home sd.cpp's docs name; the FLUX VAE from open Comfy-Org copies first, BFL's gated one last", () => {
    const urls = shipped.flatMap((e) => e.files.flatMap((f) => f.sources.map((s) => s.url)));
    expect(urls.some((u) => u.includes("runwayml"))).toBe(false);
    expect(shipped.find((e) => e.id === "sd15")!.files[0]!.sources[0]!.url).toBe(`${HF}/stable-diffusion-v1-5/stable-diffusion-v1-5/resolve/main/v1-5-pruned-emaonly.safetensors`);
    for (const id of ["flux1-schnell-q4", "z-image-turbo-q3"]) {
      const vae = shipped.find((e) => e.id === id)!.files.find((f) => f.kind === "vae")!;
      expect(vae.sources.map((s) => sourceLabel(s.url))).toEqual(["Comfy-Org/z_image_turbo", "Comfy-Org/Lumina_Image_2.0_Repackaged", "second-state/FLUX.1-schnell-GGUF", "black-forest-labs/FLUX.1-schnell"]);
      expect(vae.sources.map((s) => s.gated)).toEqual([false, false, false, true]);
      expect(vae.sha256).toBe("afc8e28272cd15db3919bacdb6918ce9c1ed22e96cb12c4d5ed0fba823529e38");
    }
  });

  test("without a token every machine is recommended a starter that downloads without an account, and the reason says so", () => {
    for (const m of MACHINES) {
      const r = recommend(shipped, m, false);
      expect(gatedOnlyFiles(shipped.find((e) => e.id === r.id)!), JSON.stringify(m)).toEqual([]);
      expect(r.reason).toContain("downloads without a Hugging Face account");
    }
    expect(recommend(shipped, { gpu: false, vramGb: 0, ramGb: 8 }).id).toBe("sd15");
    expect(recommend(shipped, { gpu: true, vramGb: 6, ramGb: 16 }).id).toBe("z-image-turbo-q3");
  });
});

describe("the rule", () => {
  test("refuses a file without a recorded sha256 or size, and a no-account entry whose file only a gated source has", () => {
    const text = `entries:${entryYaml("no-hash", `      - { url: "{hf}/a/b/resolve/main/a.gguf", kind: diffusion_models, name: a.gguf }`)}${entryYaml("gated", GATED_FILE)}\n`;
    expect(catalogProblems(loadCatalog(text, HF))).toEqual([
      "no-hash/a.gguf: no sha256 recorded",
      "no-hash/a.gguf: no exact size recorded",
      "gated: offered without an account, but ae.safetensors has only gated sources",
    ]);
  });

  test("an entry marked needsAccount passes with its gated file, and must really have one", () => {
    const text = `entries:${entryYaml("gated", GATED_FILE, "\n    needsAccount: true")}${entryYaml("open", GATED_FILE.replace(", gated: true", ""), "\n    needsAccount: true")}\n`;
    expect(catalogProblems(loadCatalog(text, HF))).toEqual(["open: marked needsAccount, but every file has an open source"]);
  });

  test("a file gives either url or sources", () => {
    expect(() => loadCatalog(`entries:${entryYaml("x", `      - { url: "{hf}/a", sources: ["{hf}/b"], kind: vae, name: a.gguf }`)}\n`, HF)).toThrow("give either url or sources");
  });
});

describe("the recommendation with a gated starter", () => {
  const text = `entries:${entryYaml("flux1-schnell-q4", GATED_FILE, "\n    needsAccount: true").replace("title: flux1-schnell-q4", "title: FLUX.1 schnell")}${entryYaml("sdxl", GATED_FILE.replace(", gated: true", "")).replace("title: sdxl", "title: SDXL")}\n`;
  const entries = loadCatalog(text, HF);
  const big = { gpu: true, vramGb: 24, ramGb: 64 };

  test("without a token the gated one is passed over, and the reason says why", () => {
    const r = recommend(entries, big, false);
    expect(r.id).toBe("sdxl");
    expect(r.reason).toBe("FLUX.1 schnell needs a Hugging Face account and no token is set; SDXL makes detailed 1024×1024 pictures with the 24 GB of your GPU; it downloads without a Hugging Face account");
  });

  test("with a token it is recommended", () => {
    expect(recommend(entries, big, true).id).toBe("flux1-schnell-q4");
  });

  test("the licence page of a gated file is its repository's page", () => {
    expect(repositoryPage(entries[0]!.files[0]!.sources[0]!.url)).toBe(`${HF}/black-forest-labs/FLUX.1-schnell`);
  });
});
