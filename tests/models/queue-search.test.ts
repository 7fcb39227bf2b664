/**
 * The queue resolves names through the models search path: a checkpoint and
 * a LoRA living only in an A1111 folder (config models.extra_folders)
 * generate with the stand-in engine, and the image's "Model hash" is the
 * A1111 short hash of that file (the one hash implementation, models/hashes.ts);
 * embeddings from sub-folders and extra roots reach the engine (embedding-view.ts).
 */
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { readPngText } from "../../pictures/metadata/png";
import { standin, startQueueApp, tempData, waitState, type QueueApp } from "../queue/harness";
import { TELLTALES, writeSafetensors } from "./fixtures";
import { embeddingMap } from "../standin/embeddings";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const data = tempData("ed-queue-search-");
let q: QueueApp | undefined;
const build = standin(data.dir);
afterAll(async () => {
  await q?.stop();
  data.remove();
});

test("a model and a LoRA from an A1111 folder generate; Model hash is their sha256's first 10 hex", async () => {
  const webui = join(data.dir, "webui");
  const model = join(webui, "models/Stable-diffusion/only-in-webui.safetensors");
  writeSafetensors(model, TELLTALES.sdxl!);
  writeSafetensors(join(webui, "models/Lora/webui-style.safetensors"), TELLTALES.lora_sdxl!);
  writeFileSync(join(data.dir, "config.yaml"), `models:\n  extra_folders: [${JSON.stringify(webui)}]\n`);
  q = await startQueueApp(data.dir, build);
  const listed = (await (await q.api("/api/models")).json()) as { kinds: Record<string, string[]> };
  expect(listed.kinds["stable-diffusion"]).toContain("only-in-webui.safetensors");
  expect(listed.kinds.lora).toContain("webui-style.safetensors");
  const res = await q.api("/api/tasks", { method: "POST", json: { prompt: "a cat <lora:webui-style:0.5>", model: "only-in-webui.safetensors", steps: 2, seed: 3 } });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const done = await waitState(q, id, ["succeeded", "failed"]);
  expect(done.error).toBeUndefined();
  expect(done.state).toBe("succeeded");
  const png = new Uint8Array(await (await q.api(done.images[0]!.url)).arrayBuffer());
  const infotext = readPngText(png).parameters!;
  const sha = new Bun.CryptoHasher("sha256").update(await Bun.file(model).bytes()).digest("hex");
  expect(infotext).toContain(`Model hash: ${sha.slice(0, 10)}`);
  // With every embedding (none here) directly in the app's folder, the engine gets that folder itself.
  const argv = JSON.parse(readFileSync(join(build.dir, "argv.jsonl"), "utf8").trim().split("\n").at(-1)!) as string[];
  expect(argv[argv.indexOf("--embd-dir") + 1]).toBe(join(data.dir, "models", "embeddings"));
});

test("embeddings from sub-folders and extra roots reach the engine: one folder of links, the app's file winning a shared stem", async () => {
  const webui = join(data.dir, "webui");
  const app = join(data.dir, "models", "embeddings");
  mkdirSync(join(app, "styles"), { recursive: true });
  mkdirSync(join(webui, "embeddings"), { recursive: true });
  writeFileSync(join(app, "top.pt"), "app");
  writeFileSync(join(app, "styles", "watercolour.safetensors"), "app-sub");
  writeFileSync(join(webui, "embeddings", "bad-hands.pt"), "webui");
  writeFileSync(join(webui, "embeddings", "top.pt"), "webui-shadowed");
  writeFileSync(join(webui, "embeddings", "notes.txt"), "not an embedding");
  const res = await q!.api("/api/tasks", { method: "POST", json: { prompt: "a cat, watercolour", negative_prompt: "bad-hands", model: "only-in-webui.safetensors", steps: 2, seed: 4 } });
  expect(res.status).toBe(202);
  const done = await waitState(q!, ((await res.json()) as { id: string }).id, ["succeeded", "failed"]);
  expect(done.state).toBe("succeeded");
  // The folder the engine was started with, read by the engine's own scan (the stand-in's port of build_embedding_map).
  const view = q!.app.ctx.paths.engineEmbeddings;
  const argv = JSON.parse(readFileSync(join(build.dir, "argv.jsonl"), "utf8").trim().split("\n").at(-1)!) as string[];
  expect(argv[argv.indexOf("--embd-dir") + 1]).toBe(view);
  expect([...embeddingMap(view).keys()]).toEqual(["bad-hands", "top", "watercolour"]);
  expect(readFileSync(join(view, "top.pt"), "utf8")).toBe("app");
  expect(readdirSync(view).sort()).toEqual(["bad-hands.pt", "top.pt", "watercolour.safetensors"]);
  // A file removed from its folder leaves the view at the next task.
  rmSync(join(webui, "embeddings", "bad-hands.pt"));
  const again = await q!.api("/api/tasks", { method: "POST", json: { prompt: "a dog", model: "only-in-webui.safetensors", steps: 2, seed: 5 } });
  expect((await waitState(q!, ((await again.json()) as { id: string }).id, ["succeeded", "failed"])).state).toBe("succeeded");
  expect(readdirSync(view).sort()).toEqual(["top.pt", "watercolour.safetensors"]);
});
