/**
 * One finished picture of a task: its metadata embedded, then either a file
 * under outputs/ plus an images row, or (incognito) bytes held in memory
 * only. Any kind's pictures are saved here (TaskRun.savePicture); what an
 * image task's picture says of itself (seed, model and LoRA hashes, step
 * caching) is `imageMetadata`.
 */
import type { IncognitoMemory } from "./incognito";
import type { ModelHashes } from "../models/hashes";
import type { ResolvedModels } from "../models/resolve";
import { commitOutput, embedMetadata, stageOutput, type EmbeddedImage, type ImageExtras, type OutputTemplates } from "./outputs";
import type { TaskStore } from "./store";
import type { ResolvedRequest } from "../common/image-request";
import { newId, type ImageRecord, type Task } from "./task";

export interface SaveDeps {
  store: TaskStore;
  incognito: IncognitoMemory;
  outputs: string;
  templates: OutputTemplates;
}

/** Saves picture `index` of a task with `request` (and `extras`) as its metadata. */
export async function savePicture(
  deps: SaveDeps,
  task: Task,
  index: number,
  png: Uint8Array,
  request: ResolvedRequest,
  extras: ImageExtras = {},
): Promise<ImageRecord> {
  const created = Date.now();
  return storeOutput(deps, task, index, request.prompt, request.seed, await embedMetadata(png, request, extras), created);
}

/** The metadata of picture `index` of an image task: its seed, the step caching that ran, the model and LoRA short hashes (not for incognito tasks). */
export async function imageMetadata(
  hashes: ModelHashes,
  task: Task,
  index: number,
  models: ResolvedModels,
): Promise<{ request: ResolvedRequest; extras: ImageExtras }> {
  // A batch of N uses seeds seed … seed+N-1 (engine contract).
  const request = { ...task.request, seed: task.request.seed + index, ...cacheOf(task) };
  if (task.incognito) return { request, extras: {} };
  const [model, ...loras] = await Promise.all([hashes.short(models.model.path), ...models.loras.map((l) => hashes.short(l.path))]);
  const loraHashes = Object.fromEntries(models.loras.map((l, i) => [l.name, loras[i]]).filter((e): e is [string, string] => !!e[1]));
  return { request, extras: { modelHash: model ?? undefined, loraHashes } };
}

/** What step caching ran, for the picture's metadata (infotext `Cache:`, our JSON `cache`). */
function cacheOf(task: Task): Pick<ResolvedRequest, "cache"> {
  const s = task.notes?.speed;
  if (!s) return {};
  return { cache: { mode: s.mode, option: s.option, ...(s.note ? { note: s.note } : {}), ...(s.reused ? { reused: s.reused } : {}) } };
}

/** Records a finished picture: in memory for an incognito task, else staged in outputs/, recorded, then moved in place. */
function storeOutput(deps: SaveDeps, task: Task, index: number, prompt: string, seed: number, image: EmbeddedImage, created: number): ImageRecord {
  const record: ImageRecord = { id: newId("i"), taskId: task.id, seed, width: image.width, height: image.height, format: image.format, created };
  if (task.incognito) {
    deps.incognito.putImage(record, image.bytes);
    return record;
  }
  const staged = stageOutput(deps.outputs, deps.templates, image, { date: new Date(created), id: task.id, prompt, seed, index, imageId: record.id });
  deps.store.insertImage({ ...record, path: staged.path });
  commitOutput(staged);
  return { ...record, path: staged.path };
}
