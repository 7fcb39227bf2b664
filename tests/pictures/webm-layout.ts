/**
 * Looking into a WebM's layout in tests: where its SeekHead (and the Void after it) lie, and the
 * position a Seek entry gives for a Tags element (pictures/metadata/webm.ts writes one as
 * SeekID 0x1254C367 then SeekPosition).
 */

export const find = (b: Uint8Array, seq: number[], from = 0) => Buffer.from(b).indexOf(Buffer.from(seq), from);

/** An EBML size at `at`: its length and value. */
function size(b: Uint8Array, at: number): { length: number; value: number } {
  const length = Math.clz32(b[at]!) - 23;
  let value = b[at]! & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + b[at + i]!;
  return { length, value };
}

/** Where the SeekHead starts and where the Void after it (else the SeekHead) ends; the Tags' position a Seek entry gives (from the Segment's data). */
export function seekOf(b: Uint8Array): { from: number; to: number; tagsAt?: number } {
  const from = find(b, [0x11, 0x4d, 0x9b, 0x74]);
  const head = size(b, from + 4);
  let to = from + 4 + head.length + head.value;
  if (b[to] === 0xec) {
    const pad = size(b, to + 1);
    to += 1 + pad.length + pad.value;
  }
  const entry = find(b.subarray(0, to), [0x53, 0xab, 0x84, 0x12, 0x54, 0xc3, 0x67, 0x53, 0xac], from);
  if (entry < 0) return { from, to };
  const n = b[entry + 9]! & 0x7f;
  return { from, to, tagsAt: [...b.subarray(entry + 10, entry + 10 + n)].reduce((v, x) => v * 256 + x, 0) };
}
