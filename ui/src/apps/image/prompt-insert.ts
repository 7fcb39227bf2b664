/**
 * Inserting a word into a prompt at the cursor (embedding triggers, style
 * modifiers), with a separating space or ", " so it never fuses with its
 * neighbours. Pure, so the picker's behaviour is testable without a browser.
 */

/** The trigger stable-diffusion.cpp matches for an embedding file: its name without folder and extension. */
export function embeddingTrigger(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.(safetensors|pt|ckpt|bin|gguf)$/i, "");
}

/** `text` with `word` put between `start` and `end` (the selection), and where the cursor goes after it. */
export function insertAt(text: string, start: number, end: number, word: string): { text: string; cursor: number } {
  const before = text.slice(0, start);
  const after = text.slice(end);
  const lead = before && !/[\s,(\[]$/.test(before) ? " " : "";
  const trail = after && !/^[\s,)\]]/.test(after) ? " " : "";
  const inserted = lead + word + trail;
  return { text: before + inserted + after, cursor: before.length + lead.length + word.length };
}
