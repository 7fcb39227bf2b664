/**
 * The search box → an FTS5 MATCH expression. Words match as prefixes (so
 * results follow typing), "quoted text" matches as a phrase, `-word`
 * excludes. Scripts written without spaces (Chinese, Japanese, Korean, Thai)
 * are indexed one character per token (`segmentText`), and a run of them in
 * the query becomes a phrase of those characters: a substring match.
 * Everything the user typed is quoted, so no input is FTS5 syntax.
 */

/** Characters of scripts written without spaces between words. */
const UNSPACED =
  /[\u0E00-\u0E7F\u2E80-\u2FDF\u3040-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F]|[\uD840-\uD87F][\uDC00-\uDFFF]/g;

/** Text as it goes into the index: each unspaced-script character its own token. */
export function segmentText(text: string): string {
  return text.replace(UNSPACED, (c) => ` ${c} `);
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

interface Term {
  text: string;
  phrase: boolean;
  negated: boolean;
}

function terms(query: string): Term[] {
  const out: Term[] = [];
  const re = /(-?)"([^"]*)"?|(-?)(\S+)/g;
  for (const m of query.matchAll(re)) {
    if (m[2] !== undefined) out.push({ text: m[2], phrase: true, negated: m[1] === "-" });
    else out.push({ text: m[4]!, phrase: false, negated: m[3] === "-" && m[4]!.length > 0 });
  }
  return out;
}

/** The tokens FTS5's unicode61 tokenizer would see (letters, digits; unspaced scripts one per character). */
function tokens(text: string): string[] {
  return segmentText(text)
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter(Boolean);
}

/**
 * A filter value (model, LoRA, sampler) as one FTS5 token in the `tags`
 * column, so a search with filters is one doclist intersection walked newest
 * first. Letters and digits only: a kind letter and a hash of the value.
 */
export function tagToken(kind: "m" | "l" | "s", value: string): string {
  return `${kind}${Bun.hash.wyhash(value).toString(36)}`;
}

/** FTS5 expression for the search box, or null when it holds nothing to search for. */
export function ftsQuery(query: string): string | null {
  const parts: string[] = [];
  const negated: string[] = [];
  for (const term of terms(query)) {
    const words = tokens(term.text);
    if (!words.length) continue;
    // A phrase stays exact; a bare word (or a run of characters) matches as a prefix while typing.
    const expr = words.length === 1 && !term.phrase ? `${quote(words[0]!)}*` : term.phrase ? quote(words.join(" ")) : `${quote(words.join(" "))}*`;
    (term.negated ? negated : parts).push(expr);
  }
  if (!parts.length) return null;
  return `{prompt negative} : (${parts.join(" AND ")}${negated.map((n) => ` NOT ${n}`).join("")})`;
}
