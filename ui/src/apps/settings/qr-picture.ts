/**
 * The text of the QR code in a picture (a screenshot of the other computer's
 * Settings → Other devices, a phone photo of its screen), read in the browser
 * with jsQR. A chunk of its own: Settings → Workers imports it only when a
 * picture is given, so neither the first paint nor the Settings tab carries
 * the decoder. The picture is drawn at most QR_SIDES[i] pixels on its long
 * side (a large photo first small, which is quick and enough for a code that
 * fills some of it, then larger).
 */
import jsQR from "jsqr";

/** Larger files are not read (a phone photo is a few MB). */
export const MAX_QR_FILE_BYTES = 50 * 1024 * 1024;
/** Nor pictures of more pixels than this (the browser decodes the whole picture first). */
export const MAX_QR_PIXELS = 64 * 1024 * 1024;
/** The long sides the picture is tried at, in turn (never larger than it is). */
const QR_SIDES = [1200, 3200];

/** A picture that could not be read, or holds no readable QR code: the message says which, for people. */
export class QrPictureError extends Error {}

/** The text of the first QR code found in the picture; QrPictureError when none can be read. */
export async function qrTextIn(picture: Blob): Promise<string> {
  if (picture.size > MAX_QR_FILE_BYTES)
    throw new QrPictureError(`That picture is too large (${Math.round(picture.size / 1024 / 1024)} MB) to look for a QR code in.`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(picture);
  } catch {
    throw new QrPictureError("That file could not be read as a picture (PNG, JPEG or WebP).");
  }
  try {
    if (bitmap.width * bitmap.height > MAX_QR_PIXELS) throw new QrPictureError("That picture has too many pixels to look for a QR code in.");
    const long = Math.max(bitmap.width, bitmap.height);
    const sides = [...new Set(QR_SIDES.map((s) => Math.min(s, long)))];
    for (const side of sides) {
      const text = decodeAt(bitmap, side / long);
      if (text !== null) return text;
    }
  } finally {
    bitmap.close();
  }
  throw new QrPictureError("No QR code could be read in that picture: try a sharper or closer picture of the code, or paste the login link.");
}

/** jsQR on the picture drawn at `scale`; null when it finds no code. */
function decodeAt(bitmap: ImageBitmap, scale: number): string | null {
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const g = canvas.getContext("2d", { willReadFrequently: true });
  if (!g) throw new QrPictureError("This browser cannot read pictures here (no 2D canvas).");
  // A code on a transparent background (an SVG made into a PNG) reads as dark on light.
  g.fillStyle = "#fff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const pixels = g.getImageData(0, 0, canvas.width, canvas.height);
  // Both ways round: a code shown light on dark (a dark theme) reads too.
  return jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "attemptBoth" })?.data ?? null;
}
