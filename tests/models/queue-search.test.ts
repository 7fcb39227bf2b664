/**
 * The queue resolves names through the models search path: a checkpoint and
 * a LoRA living only in an A1111 folder (config models.extra_folders)
 * generate with the stand-in engine, and the image's "Model hash" is the
 * A1111 short hash of that file (the one hash implementation, models/hashes.ts).
 */
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { readPngText } from "../../queue/metadata/png";
import { standin, startQueueApp, tempData, waitState, type QueueApp } from "../queue/harness";
import { TELLTALES, writeSafetensors } from "./fixtures";
import { writeFileSync } from "node:fs";

const data = tempData("ed-queue-search-");
let q: QueueApp | undefined;
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
  q = await startQueueApp(data.dir, standin(data.dir));
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
});
