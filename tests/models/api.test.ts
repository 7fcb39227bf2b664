/**
 * /api/models over the real app and socket: the entry shape, usable names
 * per kind, a damaged file listed with its reason and not offered,
 * symlinked files and folders (loops guarded), files appearing without a
 * restart, rescan, delete with traversal attempts refused, model sets,
 * companions, and lastUsed from the newest task (the queue's answer, handed
 * over as launcher/wiring.ts does).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ModelEntry } from "../../models/entry";
import type { ModelList } from "../../models/library";
import { modelUseOf } from "../../queue/model-use";
import { TaskStore } from "../../queue/store";
import { TELLTALES, writeGguf, writeSafetensors } from "./fixtures";
import { startModelsApp, tempTree, type ModelsApp } from "./harness";

const tree = tempTree("ed-models-api-");
const data = join(tree.dir, "data");
const models = join(data, "models");
const outside = join(tree.dir, "outside");
const a1111 = join(tree.dir, "webui");
let m: ModelsApp;
let tasks: TaskStore;

const list = async () => (await (await m.api("/api/models")).json()) as ModelList;
const entry = (l: ModelList, kind: string, name: string) => l.models.find((e) => e.kind === kind && e.name === name) as ModelEntry;

beforeAll(async () => {
  writeSafetensors(join(models, "stable-diffusion/sd15.safetensors"), TELLTALES.sd1!);
  writeFileSync(join(models, "stable-diffusion/aaa-notes.safetensors"), "not a model at all");
  writeSafetensors(join(models, "diffusion_models/flux1-dev.safetensors"), TELLTALES.flux!);
  writeGguf(join(models, "diffusion_models/z_image_turbo-Q4_K.gguf"), TELLTALES["z-image"]!.map((t) => ({ ...t, dtype: "q4_k" })));
  writeSafetensors(join(models, "vae/ae.safetensors"), TELLTALES.vae_flux!);
  writeSafetensors(join(models, "text_encoders/clip_l.safetensors"), TELLTALES.clip_l!);
  writeSafetensors(join(models, "text_encoders/t5xxl_fp16.safetensors"), TELLTALES.t5xxl!);
  writeSafetensors(join(models, "text_encoders/qwen_3_4b.safetensors"), TELLTALES.qwen3!);
  writeSafetensors(join(models, "lora/detail.safetensors"), TELLTALES.lora_sd1!);
  writeSafetensors(join(models, "lora/old.ckpt"), TELLTALES.lora_sd1!);
  // Symlinks: a file, a folder, and a loop.
  writeSafetensors(join(outside, "linked-ckpt.safetensors"), TELLTALES.sdxl!);
  writeSafetensors(join(outside, "pack/style.safetensors"), TELLTALES.lora_sdxl!);
  symlinkSync(join(outside, "linked-ckpt.safetensors"), join(models, "stable-diffusion/linked.safetensors"));
  symlinkSync(join(outside, "pack"), join(models, "lora/pack"));
  symlinkSync(join(models, "lora"), join(models, "lora/loop"));
  symlinkSync(join(outside, "missing.safetensors"), join(models, "lora/dangling.safetensors"));
  // An A1111 tree as an extra folder.
  writeSafetensors(join(a1111, "models/Stable-diffusion/webui-model.safetensors"), TELLTALES.sd2!);
  writeSafetensors(join(a1111, "models/Stable-diffusion/sd15.safetensors"), TELLTALES.sd2!);
  mkdirSync(join(a1111, "embeddings"), { recursive: true });
  writeSafetensors(join(a1111, "embeddings/bad-hands.safetensors"), TELLTALES.embedding!);
  tasks = new TaskStore(join(data, "easy-diffusion.db"));
  const use = modelUseOf(tasks);
  m = await startModelsApp(data, { config: `models:\n  extra_folders:\n    - ${a1111}\n`, models: { use: () => use } });
});

afterAll(async () => {
  await m?.stop();
  tasks?.close();
  tree.remove();
});

describe("GET /api/models", () => {
  test("entries carry what the header says; kinds list usable names only", async () => {
    const l = await list();
    const sd = entry(l, "stable-diffusion", "sd15.safetensors");
    expect(sd).toMatchObject({ root: "app", layout: "app", format: "safetensors", detected: "checkpoint", family: "sd1", precision: "f16", usable: true, needs: [], civitai: null, sha256: null });
    expect(sd.file).toBe(join(models, "stable-diffusion/sd15.safetensors"));
    expect(sd.folder).toBe(join(models, "stable-diffusion"));
    expect(entry(l, "diffusion_models", "flux1-dev.safetensors")).toMatchObject({ detected: "diffusion_model", family: "flux", needs: ["vae", "clip_l", "t5xxl"] });
    expect(entry(l, "diffusion_models", "z_image_turbo-Q4_K.gguf")).toMatchObject({ format: "gguf", family: "z-image", precision: "q4_k", needs: ["vae", "llm"] });
    expect(entry(l, "text_encoders", "qwen_3_4b.safetensors")).toMatchObject({ encoder: "llm", family: "qwen3" });
    // The random non-model file sorts first but is listed with its reason and never offered.
    const junk = entry(l, "stable-diffusion", "aaa-notes.safetensors");
    expect(junk).toMatchObject({ usable: false, detected: null });
    expect(junk.problem).toMatch(/not a model file/);
    expect(l.kinds["stable-diffusion"]).toEqual(["linked.safetensors", "sd15.safetensors", "webui-model.safetensors"]);
    // A .ckpt LoRA: the engine's LoRA scan never finds it.
    expect(entry(l, "lora", "old.ckpt")).toMatchObject({ usable: false });
    expect(entry(l, "lora", "old.ckpt").problem).toMatch(/does not load \.ckpt files as LoRAs/);
    expect(l.kinds.lora).toEqual(["detail.safetensors"]);
    expect(entry(l, "lora", "pack/style.safetensors").problem).toMatch(/linked folders/);
    expect(l.roots).toEqual([{ path: models, layout: "app" }, { path: a1111, layout: "a1111" }]);
    expect(l.lastUsed).toBeNull();
  });

  test("symlinks to files and folders are followed, loops and dangling links are not a problem", async () => {
    const l = await list();
    expect(entry(l, "stable-diffusion", "linked.safetensors")).toMatchObject({ family: "sdxl", usable: true });
    expect(entry(l, "lora", "pack/style.safetensors")).toMatchObject({ family: "sdxl" });
    expect(l.models.filter((e) => e.name.includes("loop"))).toEqual([]);
    expect(entry(l, "lora", "dangling.safetensors")).toBeUndefined();
  });

  test("extra folder: first one per (kind, name) wins (the app's), A1111 tree-root embeddings listed", async () => {
    const l = await list();
    expect(l.models.filter((e) => e.name === "sd15.safetensors" && e.kind === "stable-diffusion").map((e) => e.root)).toEqual(["app"]);
    expect(entry(l, "stable-diffusion", "webui-model.safetensors")).toMatchObject({ root: a1111, layout: "a1111", family: "sd2" });
    expect(entry(l, "embeddings", "bad-hands.safetensors")).toMatchObject({ detected: "embedding", usable: true, folder: join(a1111, "embeddings") });
  });

  test("a new file shows on the next list without a restart; rescan answers the same shape", async () => {
    writeSafetensors(join(models, "vae/new-vae.safetensors"), TELLTALES.vae_sd!);
    expect(entry(await list(), "vae", "new-vae.safetensors")).toMatchObject({ detected: "vae", family: "sd" });
    const res = await m.api("/api/models/rescan", { method: "POST" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ModelList;
    expect(Object.keys(body).sort()).toEqual(["kinds", "lastUsed", "models", "roots", "scanning"]);
    expect(entry(body, "vae", "new-vae.safetensors")).toBeDefined();
  });

  test("a file in the wrong folder is listed with where it belongs", async () => {
    writeSafetensors(join(models, "stable-diffusion/a-lora.safetensors"), TELLTALES.lora_sd1!);
    const e = entry(await list(), "stable-diffusion", "a-lora.safetensors");
    expect(e.usable).toBe(false);
    expect(e.problem).toMatch(/LoRA: it belongs in the lora folder/);
  });
});

describe("DELETE /api/models/:kind/:name", () => {
  test("deletes a file inside a root", async () => {
    writeSafetensors(join(models, "lora/sub/gone.safetensors"), TELLTALES.lora_sd1!);
    const res = await m.api("/api/models/lora/sub/gone.safetensors", { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: "sub/gone.safetensors" });
    expect(existsSync(join(models, "lora/sub/gone.safetensors"))).toBe(false);
    expect((await m.api("/api/models/lora/sub/gone.safetensors", { method: "DELETE" })).status).toBe(404);
  });

  test("traversal attempts are refused and touch nothing", async () => {
    const victim = join(data, "victim.safetensors");
    writeSafetensors(victim, TELLTALES.sd1!);
    for (const path of [
      "/api/models/stable-diffusion/../victim.safetensors",
      "/api/models/stable-diffusion/..%2fvictim.safetensors",
      "/api/models/stable-diffusion/%2e%2e/victim.safetensors",
      "/api/models/stable-diffusion/%2e%2e%2fvictim.safetensors",
      "/api/models/stable-diffusion/%252e%252e%252fvictim.safetensors",
      `/api/models/stable-diffusion/${encodeURIComponent(victim)}`,
      `/api/models/stable-diffusion/%2F${encodeURIComponent(victim.slice(1))}`,
      "/api/models/nonsense/sd15.safetensors",
    ]) {
      const res = await m.api(path, { method: "DELETE" });
      expect([400, 404]).toContain(res.status);
    }
    expect(existsSync(victim)).toBe(true);
    expect(existsSync(join(models, "stable-diffusion/sd15.safetensors"))).toBe(true);
  });

  test("names are decoded once: a file named with a literal %20 is deletable", async () => {
    writeSafetensors(join(models, "lora/a%20b.safetensors"), TELLTALES.lora_sd1!);
    expect((await m.api("/api/models/lora/a%2520b.safetensors", { method: "DELETE" })).status).toBe(200);
    expect(existsSync(join(models, "lora/a%20b.safetensors"))).toBe(false);
  });

  test("a symlinked file is removed as a link (its target stays); a file behind a symlinked folder is refused", async () => {
    const res = await m.api("/api/models/stable-diffusion/linked.safetensors", { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(existsSync(join(outside, "linked-ckpt.safetensors"))).toBe(true);
    const out = await m.api("/api/models/lora/pack/style.safetensors", { method: "DELETE" });
    expect(out.status).toBe(403);
    expect(((await out.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    expect(existsSync(join(outside, "pack/style.safetensors"))).toBe(true);
  });
});

describe("model sets", () => {
  test("create, list, replace, delete; family read from the model", async () => {
    expect(await (await m.api("/api/models/sets")).json()).toEqual({ sets: [] });
    const put = await m.api("/api/models/sets/Flux dev", { method: "PUT", json: { model: "flux1-dev.safetensors", vae: "ae.safetensors", text_encoders: ["clip_l.safetensors", "t5xxl_fp16.safetensors"] } });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ name: "Flux dev", model: "flux1-dev.safetensors", vae: "ae.safetensors", text_encoders: ["clip_l.safetensors", "t5xxl_fp16.safetensors"], family: "flux" });
    await m.api("/api/models/sets/SD", { method: "PUT", json: { model: "sd15.safetensors" } });
    expect(((await (await m.api("/api/models/sets")).json()) as { sets: { name: string }[] }).sets.map((s) => s.name)).toEqual(["Flux dev", "SD"]);
    const replaced = await (await m.api("/api/models/sets/SD", { method: "PUT", json: { model: "webui-model.safetensors" } })).json();
    expect(replaced).toMatchObject({ model: "webui-model.safetensors", family: "sd2", text_encoders: [] });
    expect((await m.api("/api/models/sets/SD", { method: "PUT", json: { vae: "x" } })).status).toBe(400);
    expect((await m.api("/api/models/sets/SD", { method: "PUT", body: "{nope" })).status).toBe(400);
    expect((await m.api("/api/models/sets/SD", { method: "DELETE" })).status).toBe(200);
    expect((await m.api("/api/models/sets/SD", { method: "DELETE" })).status).toBe(404);
  });
});

describe("companions", () => {
  test("Flux needs vae, clip_l, t5xxl; the installed ones fit; the catalog hook names an entry", async () => {
    m.models.setCatalog((family, role) => (role === "t5xxl" ? `${family}-t5` : null));
    const body = (await (await m.api("/api/models/companions?model=flux1-dev.safetensors")).json()) as { family: string; needs: { role: string; installed: string[]; suggested: string | null; catalog: string | null }[] };
    expect(body.family).toBe("flux");
    expect(body.needs.map((n) => [n.role, n.suggested, n.catalog])).toEqual([
      ["vae", "ae.safetensors", null],
      ["clip_l", "clip_l.safetensors", null],
      ["t5xxl", "t5xxl_fp16.safetensors", "flux-t5"],
    ]);
    expect(body.needs[0]!.installed).toEqual(["ae.safetensors"]);
  });

  test("Z-Image needs a VAE and a Qwen3 LLM; a checkpoint needs nothing; unknown and missing model names", async () => {
    const z = (await (await m.api("/api/models/companions?model=z_image_turbo-Q4_K.gguf")).json()) as { needs: { role: string; installed: string[] }[] };
    expect(z.needs.map((n) => [n.role, n.installed])).toEqual([
      ["vae", ["ae.safetensors"]],
      ["llm", ["qwen_3_4b.safetensors"]],
    ]);
    expect(await (await m.api("/api/models/companions?model=sd15.safetensors")).json()).toEqual({ family: "sd1", needs: [] });
    expect((await m.api("/api/models/companions?model=nope")).status).toBe(404);
    expect((await m.api("/api/models/companions")).status).toBe(400);
  });
});

describe("lastUsed", () => {
  test("the newest task's model, VAE and text encoders, with the matching set", async () => {
    expect((await list()).lastUsed).toBeNull();
    const task = (id: string, request: object, created: number) =>
      ({ id, state: "succeeded" as const, position: 1, request: request as never, created, incognito: false });
    tasks.insert(task("t1", { model: "sd15.safetensors", text_encoders: [] }, 1000));
    tasks.insert(task("t2", { model: "flux1-dev.safetensors", vae: "ae.safetensors", text_encoders: ["clip_l.safetensors", "t5xxl_fp16.safetensors"] }, 2000));
    expect((await list()).lastUsed).toEqual({ model: "flux1-dev.safetensors", vae: "ae.safetensors", text_encoders: ["clip_l.safetensors", "t5xxl_fp16.safetensors"], set: "Flux dev" });
  });
});

describe("usable rules", () => {
  test("a readable safetensors with no diffusion model in the checkpoints folder is not offered; an unknown VAE-folder file is", async () => {
    const { usability } = await import("../../models/usable");
    const unknown = { detected: null, family: null, precision: "f16" };
    expect(usability("stable-diffusion", "x.safetensors", unknown)).toMatchObject({ usable: false });
    expect(usability("taesd", "taesd_decoder.safetensors", unknown)).toEqual({ usable: true });
    expect(usability("vae", "a.safetensors", { ...unknown, detected: "checkpoint" })).toMatchObject({ usable: false, problem: "this is a full checkpoint: it belongs in the stable-diffusion folder" });
  });
});
