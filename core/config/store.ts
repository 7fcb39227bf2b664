/**
 * config.yaml on disk. Reading validates key by key: a bad value is reported
 * (file, key, line) and replaced by its default in memory only; the user's
 * file is never rewritten with defaults. Edits go through the YAML document
 * so comments and ordering survive.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { isMap, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { configSchema, defaultConfig, type Config, type ConfigPatch } from "./schema";
import { NamedError } from "../server/errors";

export interface ConfigProblem {
  file: string;
  key: string;
  line?: number;
  message: string;
}

/** 400 `invalid_config`, details: the problems. */
export class ConfigError extends NamedError {
  override name = "ConfigError";
  override readonly code = "invalid_config";
  override readonly status = 400;
  constructor(
    message: string,
    readonly problems: ConfigProblem[] = [],
  ) {
    super(message, problems);
  }
}

type Sections = typeof configSchema.shape;

export interface LoadedConfig {
  config: Config;
  problems: ConfigProblem[];
}

function lineOf(doc: Document, lines: LineCounter, path: string[]): number | undefined {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

/** Validates raw parsed YAML key by key; pure apart from the file name it quotes. */
export function validateConfig(raw: unknown, file: string, locate: (path: string[]) => number | undefined = () => undefined): LoadedConfig {
  const config = defaultConfig();
  const problems: ConfigProblem[] = [];
  const root = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  if (raw !== null && raw !== undefined && root !== raw) {
    problems.push({ file, key: "(root)", line: 1, message: "the file must be a mapping of sections (server:, engine:, …)" });
  }
  const sections = configSchema.shape as Sections;
  for (const [name, value] of Object.entries(root)) {
    const section = sections[name as keyof Sections] as z.ZodObject | undefined;
    if (!section) {
      problems.push({ file, key: name, line: locate([name]), message: `unknown section "${name}"` });
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problems.push({ file, key: name, line: locate([name]), message: `"${name}" must be a mapping` });
      continue;
    }
    const target = config[name as keyof Config] as Record<string, unknown>;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const field = section.shape[key] as z.ZodType | undefined;
      const path = [name, key];
      if (!field) {
        problems.push({ file, key: path.join("."), line: locate(path), message: `unknown key "${path.join(".")}"` });
        continue;
      }
      const parsed = field.safeParse(v);
      if (parsed.success) target[key] = parsed.data;
      else {
        const reason = parsed.error.issues[0]?.message ?? "invalid value";
        problems.push({ file, key: path.join("."), line: locate(path), message: `${reason}; using the default (${JSON.stringify(target[key])})` });
      }
    }
  }
  return { config, problems };
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ""}: ${p.key}: ${p.message}`;
}

export class ConfigStore {
  #doc: Document;
  #loaded: LoadedConfig;
  /** Set when the file does not parse: edits are refused so the user's text is never replaced. */
  #syntaxError: ConfigProblem | undefined;

  private constructor(
    readonly file: string,
    doc: Document,
    loaded: LoadedConfig,
  ) {
    this.#doc = doc;
    this.#loaded = loaded;
  }

  static load(file: string): ConfigStore {
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const line = e.linePos?.[0]?.line;
      const problem = { file, key: "(syntax)", line, message: `${e.message.split("\n")[0]}; using all defaults` };
      // Keep an empty document in memory: the broken file stays untouched until the user saves a change.
      const store = new ConfigStore(file, parseDocument(""), { config: defaultConfig(), problems: [problem] });
      store.#syntaxError = problem;
      return store;
    }
    const loaded = validateConfig(doc.toJS(), file, (p) => lineOf(doc, lines, p));
    return new ConfigStore(file, doc, loaded);
  }

  get config(): Config {
    return this.#loaded.config;
  }

  get problems(): ConfigProblem[] {
    return this.#loaded.problems;
  }

  /**
   * Applies a validated patch: sets only the given keys in the YAML document
   * (comments and order kept) and writes the file atomically.
   */
  update(patch: ConfigPatch): Config {
    if (this.#syntaxError) {
      throw new ConfigError(`${formatProblem(this.#syntaxError)}. Fix the file by hand before changing settings here.`, [this.#syntaxError]);
    }
    const next = structuredClone(this.config);
    for (const [section, values] of Object.entries(patch)) {
      for (const [key, value] of Object.entries(values ?? {})) {
        const field = (configSchema.shape[section as keyof Sections] as z.ZodObject).shape[key] as z.ZodType;
        const parsed = field.safeParse(value);
        if (!parsed.success) {
          throw new ConfigError(`${section}.${key}: ${parsed.error.issues[0]?.message ?? "invalid value"}`, [
            { file: this.file, key: `${section}.${key}`, message: parsed.error.issues[0]?.message ?? "invalid" },
          ]);
        }
        (next[section as keyof Config] as Record<string, unknown>)[key] = parsed.data;
      }
    }
    if (!isMap(this.#doc.contents)) this.#doc.contents = this.#doc.createNode({}) as never;
    for (const [section, values] of Object.entries(patch)) {
      for (const [key, value] of Object.entries(values ?? {})) this.#doc.setIn([section, key], value);
    }
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, this.#doc.toString());
    renameSync(tmp, this.file);
    // Keys that were invalid but are now fixed stop being problems.
    const fixed = new Set(Object.entries(patch).flatMap(([s, v]) => Object.keys(v ?? {}).map((k) => `${s}.${k}`)));
    this.#loaded = { config: next, problems: this.problems.filter((p) => !fixed.has(p.key)) };
    return next;
  }
}
