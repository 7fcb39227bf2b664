/**
 * ComfyUI writes its graph into PNG text chunks: `prompt` (the API graph:
 * node id → {class_type, inputs}, links as [node id, output index]) and
 * `workflow` (the editor's layout). The settings are read from the API graph
 * by following the sampler's links: positive/negative text, the model chain
 * through LoRA loaders to the checkpoint, and the latent size. Anything the
 * graph does not say plainly is left out, never guessed.
 */
import type { LoraRef } from "../common/lora-tags";
import type { Settings } from "../common/infotext-settings";
import { schedulerFromText } from "../common/a1111-samplers";
import { samplerOf } from "./sampler-names";

type Node = { class_type?: string; inputs?: Record<string, unknown> };
type Graph = Record<string, Node>;

const SAMPLERS = new Set(["KSampler", "KSamplerAdvanced", "SamplerCustom"]);

const isLink = (v: unknown): v is [string | number, number] => Array.isArray(v) && v.length === 2 && typeof v[1] === "number";
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

/** The API graph in a PNG's text chunks, if the `prompt` chunk holds one. */
export function comfyGraph(text: Record<string, string>): Graph | null {
  const raw = text.prompt;
  if (!raw || !raw.trimStart().startsWith("{")) return null;
  try {
    const graph = JSON.parse(raw) as unknown;
    if (!graph || typeof graph !== "object") return null;
    return Object.values(graph as Graph).some((n) => n && typeof n === "object" && typeof n.class_type === "string") ? (graph as Graph) : null;
  } catch {
    return null;
  }
}

function linked(graph: Graph, v: unknown): Node | undefined {
  return isLink(v) ? graph[String(v[0])] : undefined;
}

/** The text a conditioning link ends in (through nodes that pass conditioning on). */
function textOf(graph: Graph, v: unknown, depth = 0): string | undefined {
  const node = linked(graph, v);
  if (!node?.inputs || depth > 10) return undefined;
  const text = node.inputs.text ?? node.inputs.text_g ?? node.inputs.prompt;
  if (typeof text === "string") return text;
  if (isLink(text)) {
    const source = linked(graph, text);
    const value = source?.inputs?.text ?? source?.inputs?.value ?? source?.inputs?.string;
    if (typeof value === "string") return value;
  }
  return textOf(graph, node.inputs.conditioning ?? node.inputs.conditioning_1, depth + 1);
}

function modelChain(graph: Graph, v: unknown): { model?: string; loras: LoraRef[] } {
  const loras: LoraRef[] = [];
  let node = linked(graph, v);
  for (let i = 0; node?.inputs && i < 20; i++) {
    const inputs = node.inputs;
    if (str(inputs.lora_name)) loras.unshift({ name: String(inputs.lora_name), weight: num(inputs.strength_model) ?? 1 });
    const model = str(inputs.ckpt_name) ?? str(inputs.unet_name) ?? str(inputs.model_name);
    if (model) return { model, loras };
    node = linked(graph, inputs.model);
  }
  return { loras };
}

function latentSize(graph: Graph, v: unknown): { width?: number; height?: number } {
  let node = linked(graph, v);
  for (let i = 0; node?.inputs && i < 10; i++) {
    const width = num(node.inputs.width);
    const height = num(node.inputs.height);
    if (width && height) return { width, height };
    node = linked(graph, node.inputs.samples ?? node.inputs.latent);
  }
  return {};
}

/** Settings of the first sampler node in a ComfyUI API graph. */
export function comfyToSettings(graph: Graph): Settings {
  const sampler = Object.values(graph).find((n) => SAMPLERS.has(n?.class_type ?? ""));
  const inputs = sampler?.inputs;
  if (!inputs) return {};
  const { model, loras } = modelChain(graph, inputs.model);
  const method = str(inputs.sampler_name);
  const scheduler = str(inputs.scheduler);
  const s: Record<string, unknown> = {
    prompt: textOf(graph, inputs.positive),
    negative_prompt: textOf(graph, inputs.negative),
    seed: num(inputs.seed) ?? num(inputs.noise_seed),
    steps: num(inputs.steps),
    cfg_scale: num(inputs.cfg),
    sampler: method ? samplerOf(method) : undefined,
    scheduler: scheduler ? schedulerFromText(scheduler) : undefined,
    model,
    ...latentSize(graph, inputs.latent_image),
  };
  if (loras.length) s.loras = loras;
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as Settings;
}
