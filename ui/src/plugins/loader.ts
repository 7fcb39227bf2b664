/**
 * Loads the enabled UI plugins from /api/plugins at start, one at a time, as
 * ES modules, and hands each its scoped API. A plugin that throws, on load
 * or later from any function it gave us (or an uncaught error in its own
 * file), is disabled: what it added is taken away, the server records the
 * error (Settings shows it), and a message says so. The shell keeps working.
 */
import { pluginsApi, type PluginListing } from "./plugins-api";
import { createPluginApi } from "./api";

export interface PluginFailure {
  file: string;
  message: string;
}

/** Failures this session, for the notices (an `ed-plugin-failed` event on window announces each). */
export const failures: PluginFailure[] = [];
const loaded = new Map<string, { dispose(): void; failed: boolean }>();

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function failPlugin(file: string, error: unknown) {
  const entry = loaded.get(file);
  if (!entry || entry.failed) return;
  entry.failed = true;
  entry.dispose();
  const message = describe(error);
  console.error(`plugin ${file} failed and was disabled:`, error);
  failures.push({ file, message });
  window.dispatchEvent(new CustomEvent("ed-plugin-failed", { detail: { file, message } }));
  void pluginsApi.reportError(file, message).catch(() => {});
}

/** Errors thrown outside our guards (timers, listeners it added itself) are traced to the plugin by their script URL. */
function pluginOf(url: string | undefined): string | null {
  const m = /\/api\/plugins\/([^/?#]+\.plugin\.js)/.exec(url ?? "");
  return m ? decodeURIComponent(m[1]!) : null;
}

addEventListener("error", (event) => {
  const e = event as ErrorEvent;
  const file = pluginOf(e.filename) ?? pluginOf((e.error as Error | undefined)?.stack);
  if (file && loaded.has(file)) {
    e.preventDefault();
    failPlugin(file, e.error ?? e.message);
  }
});
addEventListener("unhandledrejection", (event) => {
  const e = event as PromiseRejectionEvent;
  const file = pluginOf((e.reason as Error | undefined)?.stack);
  if (file && loaded.has(file)) {
    e.preventDefault();
    failPlugin(file, e.reason);
  }
});

async function loadOne(file: string): Promise<void> {
  const scoped = createPluginApi(file, (err) => failPlugin(file, err));
  loaded.set(file, { dispose: scoped.dispose, failed: false });
  try {
    const mod = (await import(/* @vite-ignore */ `/api/plugins/${encodeURIComponent(file)}`)) as { default?: unknown };
    if (typeof mod.default !== "function") throw new TypeError("a plugin must export a default function (ed) => { … }");
    await mod.default(scoped.api);
  } catch (err) {
    failPlugin(file, err);
  }
}

/** Loads every enabled plugin; resolves when all have run (or failed). */
export async function loadPlugins(): Promise<void> {
  let listing: PluginListing;
  try {
    listing = await pluginsApi.list();
  } catch {
    return; // No plugin service (tests of the bare shell): nothing to load.
  }
  for (const p of listing.plugins) if (p.enabled && !loaded.has(p.file)) await loadOne(p.file);
  document.body.dataset.pluginsLoaded = "1";
}
