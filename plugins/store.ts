/**
 * The plugins folder: `*.plugin.js` files in the data dir's plugins/, and a
 * small state file saying which are disabled and the last error each
 * reported. Names are checked (PLUGIN_FILE) and every path is resolved
 * inside the folder (`insidePath`, and `realInside` before a file is read),
 * so nothing outside it is ever listed, served, written or removed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { insidePath, realInside } from "../core/files/inside";
import { PLUGIN_FILE } from "../common/plugin-api-version";
import { NamedError } from "../core/server/errors";

export interface PluginInfo {
  file: string;
  /** The file name without `.plugin.js`. */
  name: string;
  enabled: boolean;
  /** The last error the UI reported for it (the plugin was disabled then). */
  error?: string;
  size: number;
  modified: number;
}

interface State {
  disabled: string[];
  errors: Record<string, string>;
}

export class BadPluginNameError extends NamedError {
  override name = "BadPluginNameError";
  override readonly code = "bad_plugin_name";
  override readonly status = 400;
  constructor(readonly file: string) {
    super(`"${file}" is not a plugin file name: use letters, digits, - _ . and end it with .plugin.js`);
  }
}

export class PluginNotFoundError extends NamedError {
  override name = "PluginNotFoundError";
  override readonly code = "not_found";
  override readonly status = 404;
  constructor(readonly file: string) {
    super(`plugin ${file} not found`);
  }
}

export class PluginStore {
  constructor(
    readonly folder: string,
    readonly stateFile: string,
  ) {}

  #state(): State {
    try {
      const s = JSON.parse(readFileSync(this.stateFile, "utf8")) as Partial<State>;
      return {
        disabled: Array.isArray(s.disabled) ? s.disabled.filter((d) => typeof d === "string") : [],
        errors: s.errors && typeof s.errors === "object" ? s.errors : {},
      };
    } catch {
      return { disabled: [], errors: {} };
    }
  }

  #save(state: State): void {
    mkdirSync(this.folder, { recursive: true });
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 2));
    renameSync(tmp, this.stateFile);
  }

  /** The absolute path of a plugin file name, or a named error. */
  pathOf(file: string): string {
    if (!PLUGIN_FILE.test(file)) throw new BadPluginNameError(file);
    const path = insidePath(this.folder, file);
    if (!path) throw new BadPluginNameError(file);
    return path;
  }

  list(): PluginInfo[] {
    if (!existsSync(this.folder)) return [];
    const state = this.#state();
    return readdirSync(this.folder)
      .filter((f) => PLUGIN_FILE.test(f))
      .sort()
      .flatMap((file) => {
        const path = this.pathOf(file);
        if (!realInside(this.folder, path)) return [];
        const stat = statSync(path);
        if (!stat.isFile()) return [];
        return [
          {
            file,
            name: file.replace(/\.plugin\.js$/, ""),
            enabled: !state.disabled.includes(file),
            ...(state.errors[file] ? { error: state.errors[file] } : {}),
            size: stat.size,
            modified: Math.floor(stat.mtimeMs),
          },
        ];
      });
  }

  get(file: string): PluginInfo {
    const found = this.list().find((p) => p.file === file);
    if (!found) throw new PluginNotFoundError(file);
    return found;
  }

  /** The file's source, only when it lies inside the folder with links resolved. */
  read(file: string): string {
    const path = this.pathOf(file);
    if (!existsSync(path) || !realInside(this.folder, path) || !statSync(path).isFile()) throw new PluginNotFoundError(file);
    return readFileSync(path, "utf8");
  }

  /** Writes (or replaces) a plugin; a replaced one is enabled again with its error cleared. */
  install(file: string, source: string): PluginInfo {
    const path = this.pathOf(file);
    mkdirSync(this.folder, { recursive: true });
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, source);
    renameSync(tmp, path);
    this.setEnabled(file, true);
    return this.get(file);
  }

  setEnabled(file: string, enabled: boolean): PluginInfo {
    this.pathOf(file);
    const state = this.#state();
    state.disabled = state.disabled.filter((d) => d !== file);
    if (!enabled) state.disabled.push(file);
    else delete state.errors[file];
    this.#save(state);
    return this.get(file);
  }

  /** A plugin failed in the UI: remember why and disable it until the user enables it again. */
  reportError(file: string, message: string): PluginInfo {
    this.get(file);
    const state = this.#state();
    state.errors[file] = message.slice(0, 2000);
    if (!state.disabled.includes(file)) state.disabled.push(file);
    this.#save(state);
    return this.get(file);
  }

  remove(file: string): void {
    const path = this.pathOf(file);
    if (!existsSync(path)) throw new PluginNotFoundError(file);
    rmSync(path);
    const state = this.#state();
    state.disabled = state.disabled.filter((d) => d !== file);
    delete state.errors[file];
    this.#save(state);
  }
}
