/**
 * What the Image tab works out before it queues, kept out of the element:
 * how many tasks a prompt (or a prompt file) makes, the prompts to queue
 * (expanded by the server, where the wildcards live) and queueing them, the
 * memory warning for the chosen size and models, and the settings on the
 * clipboard as text.
 */
import { effectiveLevel } from "../../../../common/memory-levels";
import { countPromptLines, countPrompts, MAX_EXPANSIONS } from "../../../../common/prompt-expand";
import { configApi } from "../../api/config";
import { modelsApi, type ModelEntry } from "../models/models-api";
import { pluginHooks } from "../../plugins/hooks";
import type { QueueStore, Task } from "../queue/queue-store";
import type { ModelLists } from "./ed-model-fields";
import type { PromptFile } from "./ed-prompt-box";
import { imageApi } from "./image-api";
import { toRequest, type ImageSettings } from "./image-settings";
import { recentSizes } from "./recent-sizes";
import { estimateVram, memoryVerdict, type MemoryInputs, type MemoryVerdict } from "./memory-estimate";

/** How many tasks Generate would queue, or why it cannot (shown before queueing). */
export function promptCount(prompt: string, file: PromptFile | null): { count: number; problem?: string } {
  try {
    const count = file ? countPromptLines(file.lines) : countPrompts(prompt);
    return count > MAX_EXPANSIONS ? { count, problem: `${count} prompts: the most is ${MAX_EXPANSIONS}` } : { count };
  } catch (err) {
    return { count: 0, problem: (err as Error).message };
  }
}

/** The prompts Generate queues: the box's prompt as is, or expanded by the server. */
export async function promptsToQueue(prompt: string, file: PromptFile | null): Promise<string[]> {
  if (!file && !/[{|\\]|__/.test(prompt)) return [prompt];
  return imageApi.expandPrompts(file ? { lines: file.lines } : { prompt });
}

/**
 * Queues one task per prompt with these settings; plugins may change each
 * request first (their Image tab fields, beforeQueue hooks; a failing one is
 * skipped). `queued` hears each new task's id and seed; returns the last id.
 */
export async function queueTasks(
  store: QueueStore,
  settings: ImageSettings,
  prompts: string[],
  incognito: boolean,
  queued: (id: string, seed?: number) => void,
): Promise<string | undefined> {
  let newest: string | undefined;
  for (const prompt of prompts) {
    const { id, seed } = await store.submit(await pluginHooks.prepare(toRequest({ ...settings, prompt }, incognito)));
    if (!incognito) recentSizes.used(settings.width, settings.height);
    queued(id, seed);
    newest = id;
  }
  return newest;
}

/** The GPU memory use in effect for a model: the level remembered for it after running out of memory, else the setting. */
export function memoryLevelFor(modelFile: string | undefined, setting: MemoryLevelSetting | undefined): MemoryInputs["memory"] {
  if (!setting) return undefined;
  const remembered = modelFile ? setting.remembered.find((r) => r.model === modelFile)?.level : undefined;
  return remembered ?? effectiveLevel(setting);
}

export interface MemoryLevelSetting {
  memory: NonNullable<MemoryInputs["memory"]>;
  offload_to_cpu: boolean;
  remembered: { model: string; level: NonNullable<MemoryInputs["memory"]> }[];
}

/** engine.memory and the levels remembered per model (GET /api/config, GET /api/queue/memory-levels). */
export async function loadMemorySetting(): Promise<MemoryLevelSetting> {
  const [config, levels] = await Promise.all([
    configApi.get(),
    modelsApi.memoryLevels().catch(() => ({ levels: [] })),
  ]);
  return { memory: config.config.engine.memory, offload_to_cpu: config.config.engine.offload_to_cpu, remembered: levels.levels };
}

/** Whether the size and models likely fit this GPU (undefined when its memory or the model is unknown). */
export function memoryFor(s: ImageSettings, entries: ModelEntry[], vramBytes: number | undefined, memory?: MemoryInputs["memory"]): MemoryVerdict | undefined {
  const size = (name: string | undefined) => (name ? (entries.find((e) => e.name === name)?.size ?? 0) : 0);
  const model = entries.find((e) => e.name === s.model && (e.kind === "stable-diffusion" || e.kind === "diffusion_models"));
  if (!vramBytes || !model) return undefined;
  const weightBytes = model.size + size(s.vae) + s.text_encoders.reduce((sum, t) => sum + size(t), 0);
  const hiresScale = s.hires_enabled ? s.hires.scale : undefined;
  const estimate = estimateVram({ width: s.width, height: s.height, weightBytes, family: model.family, vaeTiling: s.vae_tiling, hiresScale, memory });
  return memoryVerdict(estimate, vramBytes);
}

export type Said = { notice?: string; error?: string };

/** "Copy settings": the form as JSON text on the clipboard. */
export async function copySettings(settings: ImageSettings): Promise<Said> {
  try {
    const { settingsToText } = await import("./settings-text");
    await navigator.clipboard.writeText(settingsToText(settings));
    return { notice: "Settings copied as text." };
  } catch (err) {
    return { error: `Could not copy: ${(err as Error).message}` };
  }
}

/** "Paste settings": our JSON or an A1111 infotext from the clipboard. */
export async function pasteSettings(): Promise<Said & { settings?: Partial<ImageSettings> }> {
  try {
    // Reading an infotext takes the request schema's sampler names: a chunk loaded on first paste.
    const { settingsFromText } = await import("./settings-text");
    const settings = settingsFromText(await navigator.clipboard.readText());
    if (!settings) return { notice: "", error: "The clipboard holds no settings (copy them with Copy settings, or an A1111 infotext)." };
    return { settings, notice: "Settings pasted." };
  } catch (err) {
    return { error: `Could not paste: ${(err as Error).message}` };
  }
}

/** A finished task's request with its pictures (init image, mask, …), which the task list leaves out. */
export async function fullRequest(task: Task): Promise<Record<string, unknown>> {
  const r = task.request ?? {};
  const left = [r.init_image, r.mask, r.control_image].includes(true) || (Array.isArray(r.ref_images) && r.ref_images.length > 0);
  return left ? ((await imageApi.taskWithImages(task.id)).request ?? r) : r;
}

/** The ESRGAN model "Upscale" uses: the one chosen for hires fix in the form, else the first installed. */
export function upscalerFor(settings: ImageSettings, models: ModelLists): string {
  const installed = models.realesrgan ?? [];
  return installed.includes(settings.hires.upscaler) ? settings.hires.upscaler : installed[0]!;
}
