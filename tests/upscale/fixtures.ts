/**
 * ESRGAN model files for tests, with the tensor names and shapes of
 * sd.cpp's src/model/upscaler/esrgan.hpp (num_feat 64, num_grow_ch 32):
 * `conv_up1` for ×2, `conv_up1`+`conv_up2` for ×4. Headers only (sparse data),
 * which is all the stand-in sd-cli and the launcher read.
 */
import { writeSafetensors, type T } from "../models/fixtures";
import { encode } from "fast-png";

export function esrganTensors(scale: 1 | 2 | 4, blocks = 1, nf = 64, gc = 32): T[] {
  const t: T[] = [];
  const conv = (n: string, o: number, i: number) => t.push({ name: `${n}.weight`, shape: [o, i, 3, 3], dtype: "F32" }, { name: `${n}.bias`, shape: [o], dtype: "F32" });
  conv("conv_first", nf, 3);
  for (let b = 0; b < blocks; b++) for (const r of ["rdb1", "rdb2", "rdb3"]) for (let c = 1; c <= 5; c++) conv(`body.${b}.${r}.conv${c}`, c < 5 ? gc : nf, nf + (c - 1) * gc);
  conv("conv_body", nf, nf);
  if (scale >= 2) conv("conv_up1", nf, nf);
  if (scale === 4) conv("conv_up2", nf, nf);
  conv("conv_hr", nf, nf);
  conv("conv_last", 3, nf);
  return t;
}

export function writeEsrgan(path: string, scale: 1 | 2 | 4, blocks = 1): void {
  writeSafetensors(path, esrganTensors(scale, blocks));
}

/** The 64×64 RGB gradient the recordings were made with (in.png). */
export function gradientPng(width = 64, height = 64): Uint8Array {
  const d = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) d.set([(x * 4) & 255, (y * 4) & 255, 128], (y * width + x) * 3);
  return encode({ width, height, data: d, channels: 3 });
}
