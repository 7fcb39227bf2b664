/**
 * Reads generation settings out of an image file: our own JSON (exact), else
 * the A1111/Forge/sd.cpp infotext in PNG text chunks or JPEG/WebP EXIF.
 * Our JSON: PNG `easy-diffusion` text chunk, JPEG COM segment, WebP XMP.
 */
import { sniffImage, type ImageKind } from "../../common/image-data";
import { imageRequestFields } from "../../common/image-request";
import { readJpegMetadata } from "./exif";
import { MetadataTooLargeError } from "../limits";
import { parseInfotext } from "../../common/infotext";
import { readPngText } from "./png";
import { infotextToSettings, type MadeAs, type Settings } from "../../common/infotext-settings";
import { readWebpMetadata } from "./webp";
import { NamedError } from "../../core/server/errors";

/** The PNG keyword / JPEG comment name of our request JSON. */
export const JSON_KEYWORD = "easy-diffusion";

export type MetadataSource = "easy-diffusion" | "sdcpp" | "a1111" | "none";

export interface ImageMetadata {
  format: ImageKind;
  source: MetadataSource;
  settings: Settings;
  /** The infotext as found, for display. */
  parameters?: string;
  /** How it was made, when our JSON says (not a request field: kept out of `settings`). */
  mode?: MadeAs;
}

export class NotAnImageError extends NamedError {
  override name = "NotAnImageError";
  override readonly code = "not_an_image";
  override readonly status = 400;
  constructor() {
    super("the file is not a PNG, JPEG or WebP image");
  }
}

/** Our JSON, keeping only the fields that still validate (an old or edited file must not poison the form). */
export function settingsFromJson(json: string): Settings | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== "object") return null;
  const shape = imageRequestFields.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const r = shape[k]?.safeParse(v);
    if (r?.success) out[k] = r.data;
  }
  return out as Settings;
}

function madeAs(json: string): { mode?: MadeAs } {
  const mode = (JSON.parse(json) as { mode?: unknown }).mode;
  return mode === "txt2img" || mode === "img2img" || mode === "inpaint" ? { mode } : {};
}

export function readImageMetadata(bytes: Uint8Array): ImageMetadata {
  const format = sniffImage(bytes);
  if (!format) throw new NotAnImageError();
  let parameters: string | undefined;
  let json: string | undefined;
  try {
    if (format === "png") {
      const text = readPngText(bytes);
      parameters = text.parameters;
      json = text[JSON_KEYWORD];
    } else if (format === "jpeg") {
      const m = readJpegMetadata(bytes);
      parameters = m.userComment;
      json = m.json;
    } else {
      const m = readWebpMetadata(bytes);
      parameters = m.userComment;
      json = m.json;
    }
  } catch (err) {
    // A damaged container still is an image; it just has no settings to give. A bomb is refused.
    if (err instanceof MetadataTooLargeError) throw err;
  }
  const ours = json ? settingsFromJson(json) : null;
  if (ours) return { format, source: "easy-diffusion", settings: ours, parameters, ...madeAs(json!) };
  if (parameters) {
    const parsed = parseInfotext(parameters);
    return { format, source: parsed.sdcpp ? "sdcpp" : "a1111", settings: infotextToSettings(parsed), parameters };
  }
  return { format, source: "none", settings: {} };
}
