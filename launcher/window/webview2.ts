/**
 * Whether the Microsoft Edge WebView2 Runtime, which the window needs on
 * Windows, is installed. Without it webview-napi still makes a window but
 * never shows a page in it (under Wine: an empty black window while the app
 * says "window open"), so the host checks first and the app falls back to
 * the browser. The runtime registers its version as `pv` under its client id,
 * per machine (the 32-bit registry view on 64-bit Windows) or per user when
 * installed without elevation (MicrosoftEdge/WebView2Feedback#2030); read
 * with advapi32's RegGetValueW through bun:ffi.
 */
const CLIENT = "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}";
/** HKEY_CURRENT_USER and HKEY_LOCAL_MACHINE: (HKEY)(LONG)0x8000000x, sign-extended. */
const HKCU = -2147483647n;
const HKLM = -2147483646n;
const KEYS: [bigint, string][] = [
  [HKLM, `SOFTWARE\\WOW6432Node\\Microsoft\\EdgeUpdate\\Clients\\${CLIENT}`],
  [HKLM, `SOFTWARE\\Microsoft\\EdgeUpdate\\Clients\\${CLIENT}`],
  [HKCU, `Software\\Microsoft\\EdgeUpdate\\Clients\\${CLIENT}`],
];
const RRF_RT_REG_SZ = 0x2;

/** An installed version from `pv` values ("" and 0.0.0.0 mean removed). Pure. */
export function installedVersion(values: (string | null)[]): string | null {
  return values.find((v) => !!v && v !== "0.0.0.0") ?? null;
}

/** The WebView2 Runtime's version, or null when it is not installed (Windows only). */
export async function webview2Version(): Promise<string | null> {
  const { dlopen, FFIType, ptr } = await import("bun:ffi");
  const advapi = dlopen("advapi32.dll", {
    RegGetValueW: { args: [FFIType.i64, FFIType.ptr, FFIType.ptr, FFIType.u32, FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  });
  const wide = (s: string) => Buffer.from(`${s}\0`, "utf16le");
  const value = wide("pv");
  try {
    return installedVersion(
      KEYS.map(([root, key]) => {
        const data = Buffer.alloc(512);
        const size = new Uint32Array([data.length]);
        const subKey = wide(key);
        const status = advapi.symbols.RegGetValueW(root, ptr(subKey), ptr(value), RRF_RT_REG_SZ, null, ptr(data), ptr(size));
        return status === 0 ? data.toString("utf16le", 0, Math.max(0, size[0]! - 2)) : null;
      }),
    );
  } finally {
    advapi.close();
  }
}
