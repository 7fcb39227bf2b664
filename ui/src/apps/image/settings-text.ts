/**
 * "Copy settings" / "Paste settings": the form as text to share or keep, and
 * back. Copy writes the request as JSON (what POST /api/tasks takes, minus
 * the pictures); paste reads that JSON or an A1111 infotext ("prompt /
 * Negative prompt: … / Steps: …"), so settings from another app work too.
 */
import { parseInfotext } from "../../../../common/infotext";
import { infotextToSettings } from "../../../../common/infotext-settings";
import { settingsFromRequest, toRequest, type ImageSettings } from "./image-settings";

/** The request as pretty JSON, without the pictures (init image, mask, references: too big for a clipboard). */
export function settingsToText(s: ImageSettings): string {
  const r = toRequest(s) as Record<string, unknown>;
  for (const key of ["init_image", "mask", "ref_images", "control_image"]) delete r[key];
  return JSON.stringify(r, null, 2);
}

/** Form settings from pasted text; null when it is neither our JSON nor an infotext. */
export function settingsFromText(text: string): Partial<ImageSettings> | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (trimmed.startsWith("{")) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        const out = settingsFromRequest(parsed as Record<string, unknown>);
        return Object.keys(out).length ? out : null;
      }
    } catch {
      return null;
    }
    return null;
  }
  const parsed = parseInfotext(trimmed);
  if (parsed.params.Steps === undefined) return null;
  return settingsFromRequest(infotextToSettings(parsed) as Record<string, unknown>);
}
