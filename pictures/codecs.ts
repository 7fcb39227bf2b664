/**
 * The pure-JavaScript codecs, fast-png and jpeg-js, loaded on the first
 * picture that needs one rather than at start: fast-png's inflate (fflate)
 * loads node:worker_threads as it loads, megabytes resident in a server that
 * has not converted anything yet (bench/startup.ts). `require` keeps the
 * callers synchronous; the module is loaded once and cached.
 */
export const fastPng = (): typeof import("fast-png") => require("fast-png");
export const jpegJs = (): typeof import("jpeg-js") => require("jpeg-js");
