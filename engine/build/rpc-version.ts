/**
 * The ggml RPC protocol version a source tree speaks, read from its
 * ggml/include/ggml-rpc.h (RPC_PROTO_MAJOR/MINOR/PATCH_VERSION; 5.0.1 in
 * ggml-org/ggml 8e800ce, the commit stable-diffusion.cpp 97d2990 pins).
 * Recorded with a build made with SD_RPC=ON and with the RPC worker program,
 * so both sides can be compared before any ggml byte is sent. Pure.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface RpcVersion {
  major: number;
  minor: number;
  patch: number;
}

export const versionText = (v: RpcVersion) => `${v.major}.${v.minor}.${v.patch}`;

export function parseVersion(text: string): RpcVersion | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

/** The version ggml-rpc.h declares, or undefined. */
export function versionFromHeader(header: string): RpcVersion | undefined {
  const find = (part: string) => new RegExp(`#define\\s+RPC_PROTO_${part}_VERSION\\s+(\\d+)`).exec(header)?.[1];
  const [major, minor, patch] = [find("MAJOR"), find("MINOR"), find("PATCH")];
  return major && minor && patch ? { major: Number(major), minor: Number(minor), patch: Number(patch) } : undefined;
}

/** The version of an unpacked source tree (its ggml submodule), as text; undefined when the header is missing. */
export function sourceRpcVersion(sourceDir: string): string | undefined {
  const header = join(sourceDir, "ggml", "include", "ggml-rpc.h");
  const v = existsSync(header) ? versionFromHeader(readFileSync(header, "utf8")) : undefined;
  return v && versionText(v);
}
