/**
 * Prompt expansion, the Easy Diffusion 3 / A1111 habits in one pure module:
 *
 *   {red,green,blue} car     prompt set: one prompt per alternative (sets nest: {a {b,c},d})
 *   a photo|red|blue         prompt matrix: the first part always, then every subset of the
 *                            rest joined with ", " → 2^(n-1) prompts, like Easy Diffusion 3
 *   __animal__               wildcard: one random line of wildcards/animal.txt (per prompt;
 *                            a line may hold further wildcards, up to 8 levels deep)
 *   one prompt per line      expandPromptLines(), for "Load prompts from a file"
 *
 * Escapes `\{ \} \| \, \_` give the literal character. Everything else — A1111 emphasis
 * `(word:1.2)`, `[word]`, `\(` — passes through untouched, because stable-diffusion.cpp's
 * parse_prompt_attention (src/core/util.cpp) reads exactly A1111's syntax.
 *
 * Sets nest at most MAX_SET_DEPTH deep (PromptTooDeepError, checked while parsing, before any
 * recursion could overflow the stack). The count is computed before anything is expanded, so a prompt that would make more than
 * MAX_EXPANSIONS prompts is refused (TooManyPromptsError) without building them.
 */
import { NamedError } from "./named-error";

/** The most prompts one Generate may make. */
export const MAX_EXPANSIONS = 1000;
/** How deep wildcards may refer to wildcards (a loop stops here). */
const MAX_WILDCARD_DEPTH = 8;
/** How deep `{…}` sets may nest (real prompts use two or three; 40,000 overflowed the stack). */
export const MAX_SET_DEPTH = 32;

/** The prompt would expand to more than MAX_EXPANSIONS prompts. */
export class TooManyPromptsError extends NamedError {
  override name = "TooManyPromptsError";
  override readonly code = "too_many_prompts";
  override readonly status = 400;
  constructor(readonly count: number) {
    super(`This prompt makes ${count} prompts; the most is ${MAX_EXPANSIONS}. Use fewer {…} choices or | parts.`, { count });
  }
}

/** A `{` without its `}` or the other way round. */
export class PromptSyntaxError extends NamedError {
  override name = "PromptSyntaxError";
  override readonly code: string = "prompt_syntax";
  override readonly status = 400;
}

/** Sets nested deeper than MAX_SET_DEPTH. */
export class PromptTooDeepError extends PromptSyntaxError {
  override name = "PromptTooDeepError";
  override readonly code = "prompt_too_deep";
  constructor(at: number) {
    super(`The "{" at character ${at} is nested more than ${MAX_SET_DEPTH} sets deep (the limit for {…} inside {…}).`);
  }
}

/** `__name__` names no file in the wildcards folder. */
export class UnknownWildcardError extends NamedError {
  override name = "UnknownWildcardError";
  override readonly code = "unknown_wildcard";
  override readonly status = 400;
  constructor(readonly wildcard: string) {
    super(`No wildcard named "${wildcard}": add wildcards/${wildcard}.txt to the data folder.`, { wildcard });
  }
}

type Node = string | Node[][]; // text, or a set: alternatives, each a sequence of nodes
type Sequence = Node[];

const LITERAL_ESCAPES = new Set(["{", "}", "|", ","]);
/** A private-use character standing for an escaped `_` while wildcards are resolved. */
const LITERAL_UNDERSCORE = "\uE000";

/** Parses one matrix part into text and sets. */
function parseSequence(text: string, start: number, inSet: boolean, depth = 0): { seq: Sequence; end: number; stop: string } {
  const seq: Sequence = [];
  let buf = "";
  let i = start;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length) {
      const next = text[i + 1]!;
      // \_ becomes a placeholder until wildcards are resolved; \( \) \\ stay for the engine.
      buf += next === "_" ? LITERAL_UNDERSCORE : LITERAL_ESCAPES.has(next) ? next : ch + next;
      i += 2;
      continue;
    }
    if (ch === "{") {
      if (depth >= MAX_SET_DEPTH) throw new PromptTooDeepError(i + 1);
      if (buf) seq.push(buf), (buf = "");
      const alternatives: Sequence[] = [];
      let j = i + 1;
      for (;;) {
        const alt = parseSequence(text, j, true, depth + 1);
        alternatives.push(trimSequence(alt.seq));
        j = alt.end + 1;
        if (alt.stop === "}") break;
        if (alt.stop !== ",") throw new PromptSyntaxError(`A "{" at character ${i + 1} has no "}".`);
      }
      seq.push(alternatives);
      i = j;
      continue;
    }
    if (inSet && (ch === "," || ch === "}")) {
      if (buf) seq.push(buf);
      return { seq, end: i, stop: ch };
    }
    if (ch === "}") throw new PromptSyntaxError(`A "}" at character ${i + 1} has no "{".`);
    buf += ch;
    i++;
  }
  if (buf) seq.push(buf);
  return { seq, end: i, stop: "" };
}

/** Alternatives are trimmed: `{red, green}` means "red" and "green". */
function trimSequence(seq: Sequence): Sequence {
  const out = [...seq];
  if (typeof out[0] === "string") out[0] = out[0].trimStart();
  const last = out.length - 1;
  if (typeof out[last] === "string") out[last] = (out[last] as string).trimEnd();
  return out;
}

/** Splits on `|` outside braces and escapes. */
function splitMatrix(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") i++;
    else if (ch === "{") depth++;
    else if (ch === "}") depth = Math.max(0, depth - 1);
    else if (ch === "|" && depth === 0) parts.push(text.slice(from, i)), (from = i + 1);
  }
  parts.push(text.slice(from));
  return parts;
}

function countSequence(seq: Sequence): number {
  let n = 1;
  for (const node of seq) if (typeof node !== "string") n *= node.reduce((sum, alt) => sum + countSequence(alt), 0);
  return n;
}

function expandSequence(seq: Sequence): string[] {
  let out = [""];
  for (const node of seq) {
    const options = typeof node === "string" ? [node] : node.flatMap(expandSequence);
    out = out.flatMap((head) => options.map((o) => head + o));
  }
  return out;
}

interface Parsed {
  base: Sequence;
  options: Sequence[];
}

function parse(prompt: string): Parsed {
  const [first = "", ...rest] = splitMatrix(prompt);
  const seqOf = (part: string) => parseSequence(part, 0, false).seq;
  return rest.length ? { base: seqOf(first.trim()), options: rest.map((p) => seqOf(p.trim())) } : { base: seqOf(first), options: [] };
}

function countParsed(p: Parsed): number {
  let n = countSequence(p.base);
  for (const o of p.options) n *= 1 + countSequence(o); // each matrix option: left out, or one of its prompts
  return n;
}

/** How many prompts `prompt` makes (wildcards do not change the count). Throws PromptSyntaxError. */
export function countPrompts(prompt: string): number {
  return countParsed(parse(prompt));
}

/** How many prompts a list of lines makes (blank lines and lines starting with # are skipped). */
export function countPromptLines(lines: string[]): number {
  return promptLines(lines).reduce((sum, line) => sum + countPrompts(line), 0);
}

export interface ExpandOptions {
  /** Wildcard name → its lines (wildcards/<name>.txt). */
  wildcards?: Record<string, string[]>;
  /** 0 ≤ x < 1; injected so tests are repeatable. */
  random?: () => number;
}

/** Replaces each `__name__` with a random line of that wildcard, recursively. */
export function resolveWildcards(text: string, options: ExpandOptions = {}, depth = 0): string {
  const random = options.random ?? Math.random;
  return text.replace(/__([\w\-/]+?)__/g, (_whole, name: string) => {
    const lines = options.wildcards?.[name] ?? options.wildcards?.[name.toLowerCase()];
    if (!lines) throw new UnknownWildcardError(name);
    if (depth >= MAX_WILDCARD_DEPTH) throw new PromptSyntaxError(`Wildcard "${name}" refers to wildcards more than ${MAX_WILDCARD_DEPTH} levels deep.`);
    const line = lines.length ? lines[Math.min(lines.length - 1, Math.floor(random() * lines.length))]! : "";
    return resolveWildcards(line, options, depth + 1);
  });
}

/** The prompts one prompt makes, sets and matrix expanded, wildcards resolved. */
export function expandPrompt(prompt: string, options: ExpandOptions = {}): string[] {
  const parsed = parse(prompt);
  const count = countParsed(parsed);
  if (count > MAX_EXPANSIONS) throw new TooManyPromptsError(count);
  let prompts = expandSequence(parsed.base);
  for (const option of parsed.options) {
    const variants = expandSequence(option);
    // Easy Diffusion 3's order: all prompts without this option first, then with it.
    prompts = [...prompts, ...prompts.flatMap((p) => variants.map((v) => (p && v ? `${p}, ${v}` : p || v)))];
  }
  // An empty alternative leaves two spaces behind: "cat {,small} dog" → "cat dog".
  return prompts.map((p) => resolveWildcards(p, options).replaceAll(LITERAL_UNDERSCORE, "_").replace(/ {2,}/g, " ").trim());
}

/** The lines of a prompt file that are prompts. */
export function promptLines(lines: string[]): string[] {
  return lines.map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
}

/** "Load prompts from a file": each line expanded; the limit counts all lines together. */
export function expandPromptLines(lines: string[], options: ExpandOptions = {}): string[] {
  const kept = promptLines(lines);
  const total = kept.reduce((sum, line) => sum + countPrompts(line), 0);
  if (total > MAX_EXPANSIONS) throw new TooManyPromptsError(total);
  return kept.flatMap((line) => expandPrompt(line, options));
}
