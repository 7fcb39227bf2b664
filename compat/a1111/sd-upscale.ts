/**
 * A1111's "SD upscale" img2img script (scripts/sd_upscale.py) done the
 * simpler way round: A1111 enlarges the init image with the upscaler and
 * re-draws it tile by tile with img2img; here img2img runs on the picture at
 * the asked size and each result is then enlarged by `scale` with the chosen
 * upscaler ("None" keeps the size, as the script does; Lanczos/Nearest in the
 * launcher; an ESRGAN model through our upscale task, ×2 or ×4). `info`
 * says so in its notes.
 */
import { decodeImage } from "../../common/image-data";
import { buildUpscaleRequest } from "../../upscale/routes/upscale";
import type { CompatDeps } from "../deps";
import { modelFiles } from "../model-files";
import { modelStem } from "../checkpoints";
import { runAndWait, toBase64 } from "../run";
import { builtinUpscaler, encodePicturePng, readPicture, upscaleBuiltin } from "./builtin-upscale";
import { A1111HttpError } from "./errors";
import { SD_UPSCALE, type SdUpscaleScript } from "./scripts";

async function upscaleImage(deps: CompatDeps, image: string, script: SdUpscaleScript): Promise<string> {
  const builtin = builtinUpscaler(script.upscaler);
  if (builtin === "None") return image;
  if (builtin) return toBase64(encodePicturePng(await upscaleBuiltin(await readPicture(decodeImage(image), "image"), builtin, script.scale)));
  const model = modelFiles(deps.ctx, "realesrgan").find((f) => modelStem(f.name) === script.upscaler);
  if (!model) throw new A1111HttpError(422, `${SD_UPSCALE}: ${script.upscaler} is not an image upscaler (choose None, Lanczos, Nearest or an ESRGAN model)`);
  if (script.scale !== 2 && script.scale !== 4)
    throw new A1111HttpError(422, `${SD_UPSCALE}: ${script.upscaler} upscales ×2 or ×4, not ×${script.scale} (Lanczos and Nearest take any factor)`);
  const keep = deps.ctx.config.config.api.keep_pictures;
  const { request } = await buildUpscaleRequest(deps.ctx, deps.queue, { image, factor: script.scale, model: model.name, incognito: !keep });
  const run = await runAndWait(deps.queue, deps.ctx.bus, request, { incognito: !keep });
  if (!run.images[0]) throw new A1111HttpError(500, "the upscale made no picture");
  return toBase64(run.images[0].bytes);
}

export async function runSdUpscale(
  deps: CompatDeps,
  answer: { images: string[]; parameters: Record<string, unknown>; info: string },
  script: SdUpscaleScript,
  sendImages: boolean,
) {
  // Checked before any work: an ESRGAN model that cannot do the factor fails here, not after the first picture.
  if (!builtinUpscaler(script.upscaler) && !modelFiles(deps.ctx, "realesrgan").some((f) => modelStem(f.name) === script.upscaler))
    throw new A1111HttpError(422, `${SD_UPSCALE}: ${script.upscaler} is not an image upscaler (choose None, Lanczos, Nearest or an ESRGAN model)`);
  const images: string[] = [];
  for (const image of answer.images) images.push(await upscaleImage(deps, image, script));
  const info = JSON.parse(answer.info) as { notes: string[] };
  info.notes.push(
    script.upscaler === "None"
      ? `${SD_UPSCALE} with upscaler None: the size is kept (as A1111's script does)`
      : `${SD_UPSCALE}: img2img ran at the asked size, then each picture was enlarged ×${script.scale} with ${script.upscaler} ` +
          `(A1111 enlarges first and re-draws ${script.overlap}-px-overlapping tiles)`,
  );
  return { images: sendImages ? images : [], parameters: answer.parameters, info: JSON.stringify(info) };
}
