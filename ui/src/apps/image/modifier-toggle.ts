/**
 * Adding and removing a style modifier at the end of a prompt, as
 * comma-separated tags: pure, so the panel's behaviour is testable alone.
 */

/** The prompt's comma-separated parts, trimmed. */
function parts(prompt: string): string[] {
  return prompt.split(",").map((p) => p.trim());
}

export function hasModifier(prompt: string, modifier: string): boolean {
  const m = modifier.toLowerCase();
  return parts(prompt).some((p) => p.toLowerCase() === m);
}

/** Appends `, modifier`, or removes it when the prompt already has it. */
export function toggleModifier(prompt: string, modifier: string): string {
  if (hasModifier(prompt, modifier)) {
    const m = modifier.toLowerCase();
    return parts(prompt).filter((p) => p.toLowerCase() !== m).filter((p, i, all) => p || i < all.length - 1).join(", ").replace(/^, |, $/g, "");
  }
  const trimmed = prompt.trimEnd();
  if (!trimmed) return modifier;
  return trimmed.endsWith(",") ? `${trimmed} ${modifier}` : `${trimmed}, ${modifier}`;
}
