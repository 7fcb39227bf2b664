/**
 * UI entry: registers the built-in tab apps, exposes the plugin API on
 * `window.easyDiffusion`, and reports the shell's first paint to the
 * launcher (for the startup benchmark; failures are ignored).
 */
import { registerBuiltinApps } from "./apps/builtin";
import { registry, type PluginMenuItem, type TabAppDef } from "./apps/registry";
import "./shell/ed-shell";
import { loadPlugins } from "./plugins/loader";
import "./plugins/ed-plugin-notices";

export interface EasyDiffusionApi {
  registerTabApp(def: TabAppDef): () => void;
  registerPluginMenuItem(item: PluginMenuItem): () => void;
  /** Opens (or focuses, for singletons) a tab of a registered app. */
  openApp(id: string, opts?: { incognito?: boolean }): string | undefined;
}

declare global {
  interface Window {
    easyDiffusion: EasyDiffusionApi;
  }
}

registerBuiltinApps(registry);

window.easyDiffusion = {
  registerTabApp: (def) => registry.registerTabApp(def),
  registerPluginMenuItem: (item) => registry.registerPluginMenuItem(item),
  openApp: (id, opts) => document.querySelector("ed-shell")?.openApp(id, opts),
};

// Plugins load after the built-in apps, each isolated (a failing one is disabled with a message).
document.body.append(document.createElement("ed-plugin-notices"));
void loadPlugins();

document.addEventListener(
  "ed-shell-ready",
  () => {
    document.body.dataset.ready = "1";
    requestAnimationFrame(() => {
      const body = JSON.stringify({ t: performance.now() });
      fetch("/api/window/painted", { method: "POST", headers: { "content-type": "application/json" }, body }).catch(() => {});
    });
  },
  { once: true },
);
