import pkg from "../package.json";

/** The app's version and build facts, as `--version` and `GET /api/version` report them. */
export const VERSION: string = pkg.version;

export function versionInfo() {
  return {
    name: "Easy Diffusion",
    version: VERSION,
    runtime: `bun ${Bun.version}`,
    platform: process.platform,
    arch: process.arch,
  };
}
