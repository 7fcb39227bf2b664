/**
 * How deep a JSON body may nest (issue 26): 50,000 nested `[` parse, but
 * then every recursive step after it (validation, JSON.stringify into the
 * database) overflows the stack: a 500 "Maximum call stack size exceeded".
 * The depth is counted on the text before it is parsed, in one pass; real
 * requests nest a handful of levels (A1111's alwayson_scripts about 6).
 */

/** The deepest nesting of objects and arrays any route accepts. */
export const MAX_JSON_DEPTH = 64;

/** The nesting depth of a JSON text (brackets inside strings do not count); stops counting past `stopAfter`. */
export function jsonDepth(text: string, stopAfter = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max && (max = depth) > stopAfter) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** The sentence for a body nested deeper than the limit, or null when it is fine. */
export function jsonDepthProblem(text: string, limit = MAX_JSON_DEPTH): string | null {
  return jsonDepth(text, limit) > limit ? `the JSON body nests deeper than ${limit} levels (the limit for objects and arrays inside each other)` : null;
}
