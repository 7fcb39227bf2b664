/**
 * Which of a worker's model files are the ones a task needs: the same bytes,
 * told by sha256 (the worker's GET /api/models lists each file's hash once
 * it has read it), whatever the file is called there. Pure.
 */
import type { ResolvedRequest } from "../common/image-request";
import type { ResolvedModels } from "../models/resolve";
import type { WorkerModel } from "./client";

/** One model file a task needs: the request field naming it, its kind (models/<kind>/), its name and file here. */
export interface NeededFile {
  field: string;
  kind: string;
  name: string;
  path: string;
}

/** The files a request needs, from its models as resolved on this computer. */
export function neededFiles(request: ResolvedRequest, models: ResolvedModels): NeededFile[] {
  const out: NeededFile[] = [{ field: "model", kind: models.model.kind, name: request.model, path: models.model.path }];
  if (request.vae && models.vae) out.push({ field: "vae", kind: "vae", name: request.vae, path: models.vae });
  request.text_encoders.forEach((name, i) => out.push({ field: `text_encoders.${i}`, kind: "text_encoders", name, path: models.textEncoders[i]! }));
  models.loras.forEach((l, i) => out.push({ field: `loras.${i}`, kind: "lora", name: l.name, path: l.path }));
  if (request.controlnet && models.controlnet) out.push({ field: "controlnet", kind: "controlnet", name: request.controlnet, path: models.controlnet });
  // A hires upscaler model goes by its name: the worker refuses the task if it has none of that name.
  return out;
}

export interface Match {
  /** The worker's name of each needed file, by field. */
  names: Record<string, string>;
  /** Needed files the worker does not have (or has not hashed yet). */
  missing: (NeededFile & { sha256: string })[];
}

/** Matches needed files (with their sha256 here) to the worker's usable files of the same kind and hash. */
export function matchModels(needed: (NeededFile & { sha256: string })[], worker: WorkerModel[]): Match {
  const byHash = new Map<string, WorkerModel[]>();
  for (const m of worker) {
    if (!m.sha256 || m.usable === false) continue;
    const key = `${m.kind}\0${m.sha256.toLowerCase()}`;
    byHash.set(key, [...(byHash.get(key) ?? []), m]);
  }
  const names: Record<string, string> = {};
  const missing: Match["missing"] = [];
  for (const f of needed) {
    const found = byHash.get(`${f.kind}\0${f.sha256.toLowerCase()}`);
    if (found?.length) names[f.field] = found[0]!.name;
    else missing.push(f);
  }
  return { names, missing };
}

/** The request as the worker must be sent it: its model names for the same files, and no field only this computer uses. */
export function requestForWorker(request: ResolvedRequest, names: Record<string, string>): Record<string, unknown> {
  const { cache: _c, upscaled: _u, upscale_of: _o, worker: _w, ...fields } = request;
  const out: Record<string, unknown> = { ...fields, model: names.model ?? request.model };
  if (request.vae) out.vae = names.vae ?? request.vae;
  out.text_encoders = request.text_encoders.map((t, i) => names[`text_encoders.${i}`] ?? t);
  out.loras = request.loras.map((l, i) => ({ ...l, name: names[`loras.${i}`] ?? l.name }));
  if (request.controlnet) out.controlnet = names.controlnet ?? request.controlnet;
  // PNG from the worker: this computer converts and writes the metadata of its own request (queue/save.ts).
  out.output_format = "png";
  delete out.output_quality;
  return out;
}
