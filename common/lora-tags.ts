/**
 * `<lora:name:weight>` prompt tags, as A1111 users write them. sd-server does
 * not parse them, so they become the structured `loras` field and leave the
 * prompt. Browser-safe (the Image workspace uses it while typing).
 */
export interface LoraRef {
  name: string;
  weight: number;
}

// name: anything but `:` and `>`; weight optional (A1111 allows `<lora:name>` = 1).
const TAG = /<lora:([^:>]+)(?::(-?\d*\.?\d+))?(?::[^>]*)?>/gi;

/** Splits a prompt into its text without LoRA tags and the tags found, in order. */
export function extractLoraTags(prompt: string): { prompt: string; loras: LoraRef[] } {
  const loras: LoraRef[] = [];
  const text = prompt.replace(TAG, (_all, name: string, weight?: string) => {
    loras.push({ name: name.trim(), weight: weight === undefined ? 1 : Number(weight) });
    return "";
  });
  // Removing a tag leaves doubled separators ("a, , b" / trailing ", "): tidy only those.
  const prompt2 = text
    .replace(/[ \t]{2,}/g, " ")
    .replace(/\s*,(\s*,)+/g, ",")
    .replace(/^[\s,]+|[\s,]+$/g, "");
  return { prompt: prompt2, loras };
}

/** Merges tag LoRAs into explicit ones; an explicit entry for the same name wins. */
export function mergeLoras(explicit: LoraRef[], fromTags: LoraRef[]): LoraRef[] {
  const names = new Set(explicit.map((l) => l.name));
  return [...explicit, ...fromTags.filter((l) => !names.has(l.name))];
}

/** The prompt with its LoRAs written back as tags (how A1111 records them in infotext). */
export function withLoraTags(prompt: string, loras: LoraRef[]): string {
  if (!loras.length) return prompt;
  const tags = loras.map((l) => `<lora:${l.name}:${l.weight}>`).join(" ");
  return prompt ? `${prompt} ${tags}` : tags;
}
