/**
 * The version of the UI plugin API (ui/src/plugins/api.ts; documented in
 * plugins/README.md). Browser-safe: the server lists it with the plugins and
 * the UI hands it to each plugin. Raised on a breaking change; additions keep it.
 */
export const PLUGIN_API_VERSION = 1;

/** What a plugin file must be called: a safe name ending in `.plugin.js`. */
export const PLUGIN_FILE = /^[A-Za-z0-9][\w.-]{0,120}\.plugin\.js$/;
