/**
 * Images inside requests arrive as data URLs or bare base64. We check the
 * bytes really are PNG, JPEG or WebP (by magic number) before the engine sees
 * them. Browser-safe: no Node APIs.
 */
export type ImageKind = "png" | "jpeg" | "webp";

export const MIME: Record<ImageKind, string> = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image format of these bytes, or null when they are not PNG/JPEG/WebP. */
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  return null;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?(;[\w-]+=[^;,]*)*;base64,/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Splits a data URL or bare base64 into its base64 payload; null when it is neither. */
export function base64Payload(value: string): string | null {
  const m = DATA_URL.exec(value);
  const payload = m ? value.slice(m[0].length) : value;
  return payload.length > 0 && payload.length % 4 !== 1 && BASE64.test(payload) ? payload : null;
}

/** Why this string is not a usable image, or null when it is one. */
export function imageProblem(value: string): string | null {
  const payload = base64Payload(value);
  if (!payload) return "must be an image as a data URL (data:image/png;base64,…) or base64";
  // 16 base64 chars decode to the 12 bytes the magic numbers need.
  const head = Uint8Array.from(atob(payload.slice(0, 16)), (c) => c.charCodeAt(0));
  return sniffImage(head) ? null : "is not a PNG, JPEG or WebP image";
}

/** Decodes a data URL or base64 string to bytes (server side). */
export function decodeImage(value: string): Uint8Array {
  const payload = base64Payload(value);
  if (!payload) throw new Error("not base64 image data");
  return Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
}
