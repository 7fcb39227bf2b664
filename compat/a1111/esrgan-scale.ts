/** An ESRGAN model's scale from its tensor names (upscale/scale.ts), 4 when the header cannot tell (A1111's UpscalerData default). */
import { readHeader } from "../../models/headers/read";
import { esrganScale } from "../../upscale/scale";

export function esrganScaleOf(path: string): number {
  try {
    return esrganScale(readHeader(path).tensors.map((t) => t.name)) ?? 4;
  } catch {
    return 4;
  }
}
