/**
 * Loads request-check.ts (zod and the request schema) once, after the first
 * paint: the Image form shows problems and the Advanced lists when it is
 * there, and Generate waits for it so nothing is queued unchecked.
 */
export type RequestCheck = typeof import("./request-check");

let loading: Promise<RequestCheck> | undefined;

export function loadRequestCheck(): Promise<RequestCheck> {
  loading ??= import("./request-check").catch((err: unknown) => {
    loading = undefined; // try again next time
    throw err;
  });
  return loading;
}
