/**
 * Style modifiers: tags in categories that the Image tab appends to the
 * prompt. A text format anyone can edit — `[Category]` then one modifier a
 * line, `#` comments — for the shipped list (style-modifiers.txt) and the
 * user's own `<data>/modifiers.txt`, whose categories come first.
 */
import { readFile } from "node:fs/promises";
import shipped from "./style-modifiers.txt" with { type: "text" };

export interface ModifierCategory {
  name: string;
  modifiers: string[];
  /** From the user's own file. */
  custom?: boolean;
}

/** Parses the modifiers format; lines before any [Category] go to "Other". Duplicates in a category are dropped. */
export function parseModifiers(text: string, custom = false): ModifierCategory[] {
  const out: ModifierCategory[] = [];
  let current: ModifierCategory | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      current = out.find((c) => c.name === name) ?? (out.push({ name, modifiers: [], ...(custom ? { custom } : {}) }), out.at(-1)!);
      continue;
    }
    current ??= (out.push({ name: "Other", modifiers: [], ...(custom ? { custom } : {}) }), out.at(-1)!);
    if (!current.modifiers.includes(line)) current.modifiers.push(line);
  }
  return out.filter((c) => c.modifiers.length);
}

/** The user's categories, then the shipped ones. An absent file is no custom modifiers. */
export async function loadModifiers(customFile: string): Promise<ModifierCategory[]> {
  let custom = "";
  try {
    custom = await readFile(customFile, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  return [...parseModifiers(custom, true), ...parseModifiers(shipped)];
}
