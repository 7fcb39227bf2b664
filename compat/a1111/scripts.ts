/**
 * A1111 selectable scripts (`script_name` + `script_args`). Only img2img's
 * "SD upscale" (scripts/sd_upscale.py) is run here; any other name is A1111's
 * own answer for a script it does not have: 422 "Script '…' not found"
 * (api.py script_name_to_index), with what this app can do instead.
 *
 * SD upscale's arguments are its ui() values in order: [info, overlap,
 * upscaler_index, scale_factor], defaults 64, 0 (the first upscaler, "None")
 * and 2 (A1111 fills missing ones with the ui defaults: init_default_script_args).
 * `upscaler_index` indexes /sdapi/v1/upscalers; a name is taken too.
 */
import { A1111HttpError } from "./errors";
import { pyFloat, pyInt } from "./coerce";

export interface SdUpscaleScript {
  overlap: number;
  /** An /sdapi/v1/upscalers name. */
  upscaler: string;
  scale: number;
}

export const SD_UPSCALE = "SD upscale";

/** The script a request selects, or null; 422 for scripts this app does not run. */
export function selectedScript(req: { script_name?: string | null; script_args: unknown[] }, isImg2Img: boolean, upscalers: string[]): SdUpscaleScript | null {
  const name = req.script_name?.trim();
  if (!name) return null;
  if (!isImg2Img || name.toLowerCase() !== SD_UPSCALE.toLowerCase()) {
    const which = isImg2Img ? ` except "${SD_UPSCALE}"` : ` in txt2img ("${SD_UPSCALE}" works in img2img)`;
    throw new A1111HttpError(422, `Script '${name}' not found: Easy Diffusion runs no A1111 scripts${which}`);
  }
  const [, overlapArg, upscalerArg, scaleArg] = req.script_args;
  const overlap = overlapArg === undefined || overlapArg === null ? 64 : pyInt(overlapArg);
  const scale = scaleArg === undefined || scaleArg === null ? 2 : pyFloat(scaleArg);
  if (typeof overlap !== "number" || !Number.isInteger(overlap) || overlap < 0)
    throw new A1111HttpError(422, `${SD_UPSCALE}: script_args[1] (tile overlap) must be a whole number ≥ 0`);
  if (typeof scale !== "number" || !(scale > 0 && scale <= 8))
    throw new A1111HttpError(422, `${SD_UPSCALE}: script_args[3] (scale factor) must be a number above 0, at most 8`);
  let upscaler: string | undefined;
  if (upscalerArg === undefined || upscalerArg === null) upscaler = upscalers[0];
  else if (typeof upscalerArg === "string" && !/^\s*\d+\s*$/.test(upscalerArg))
    upscaler = upscalers.find((u) => u.toLowerCase() === upscalerArg.trim().toLowerCase());
  else {
    const index = pyInt(upscalerArg);
    if (typeof index === "number" && Number.isInteger(index) && index >= 0) upscaler = upscalers[index];
  }
  if (!upscaler) {
    const asked = `${SD_UPSCALE}: script_args[2] (upscaler) ${JSON.stringify(upscalerArg)}`;
    throw new A1111HttpError(422, `${asked} is not one of /sdapi/v1/upscalers (by index or name): ${upscalers.join(", ")}`);
  }
  return { overlap, upscaler, scale };
}
