/** 8-bit RGBA pixels, row by row: what every decoder here gives and every encoder takes. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}
