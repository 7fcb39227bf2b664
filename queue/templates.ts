/**
 * Output folder and file name templates, as Easy Diffusion users know them:
 * $yyyy $MM $dd $HH $mm $ss (local time), $id (task id), $p (prompt slug),
 * $s (seed), $n (image index), $ts (timestamp in ms). Pure.
 */
export interface TemplateValues {
  date: Date;
  id: string;
  prompt: string;
  seed: number;
  index: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Lower-case words joined by dashes, at most `max` characters: "A cat, on a mat!" → "a-cat-on-a-mat". */
export function promptSlug(prompt: string, max = 40): string {
  const slug = prompt
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, max).replace(/-+$/, "") || "image";
}

/** Characters no file system accepts, and names Windows reserves. */
function safeSegment(s: string): string {
  const cleaned = s.replace(/[<>:"/\\|?*\u0000-\u001f]/g, "_").replace(/^[ .]+|[ .]+$/g, "");
  return /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned) ? `_${cleaned}` : cleaned;
}

export function renderTemplate(template: string, v: TemplateValues): string {
  const d = v.date;
  const values: Record<string, string> = {
    yyyy: String(d.getFullYear()),
    MM: pad(d.getMonth() + 1),
    dd: pad(d.getDate()),
    HH: pad(d.getHours()),
    mm: pad(d.getMinutes()),
    ss: pad(d.getSeconds()),
    id: v.id,
    ts: String(d.getTime()),
    p: promptSlug(v.prompt),
    s: String(v.seed),
    n: String(v.index),
  };
  return template.replace(/\$(yyyy|MM|dd|HH|mm|ss|id|ts|p|s|n)/g, (_, k: string) => values[k]!);
}

/** A relative folder path from the folder template: `/` separates folders, `..` and empty parts are dropped. */
export function renderFolder(template: string, v: TemplateValues): string[] {
  return renderTemplate(template, v)
    .split(/[\\/]+/)
    .map(safeSegment)
    .filter((s) => s && s !== "." && s !== "..");
}

/** A file name (without extension) from the file template; never empty. */
export function renderFileName(template: string, v: TemplateValues): string {
  return safeSegment(renderTemplate(template, v).replace(/[\\/]+/g, "_")).slice(0, 180) || `${v.id}-${v.index}`;
}
