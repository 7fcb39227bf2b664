/** Release asset names → variants, and the GitHub API client against a local server with an offline cache. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAssetName } from "../../engine/release/assets";
import { fetchRelease, fromGithubRelease, releaseUrl } from "../../engine/release/github";
import releaseJson from "../fixtures/release-master-827.json";

describe("asset names from the contract", () => {
  const cases: [string, object | undefined][] = [
    ["sd-master-97d2990-bin-Linux-Ubuntu-24.04-x86_64.zip", { os: "linux", arch: "x64", backend: "cpu", variant: "cpu", kind: "build", builtOn: "24.04" }],
    ["sd-master-97d2990-bin-Linux-Ubuntu-24.04-x86_64-vulkan.zip", { os: "linux", arch: "x64", backend: "vulkan", variant: "vulkan" }],
    ["sd-master-97d2990-bin-Linux-Ubuntu-24.04-x86_64-rocm-6.4.zip", { os: "linux", backend: "rocm", variant: "rocm-6.4" }],
    ["sd-master-97d2990-bin-Linux-Ubuntu-24.04-x86_64-rocm-7.1.1.zip", { os: "linux", backend: "rocm", variant: "rocm-7.1.1" }],
    ["sd-master-97d2990-bin-Darwin-macOS-15.7.2-arm64.zip", { os: "darwin", arch: "arm64", backend: "metal", variant: "metal", builtOn: "15.7.2" }],
    ["sd-master-97d2990-bin-win-cpu-x64.zip", { os: "windows", arch: "x64", backend: "cpu", variant: "cpu" }],
    ["sd-master-97d2990-bin-win-cuda12-x64.zip", { os: "windows", arch: "x64", backend: "cuda", variant: "cuda12", cuda: "12", kind: "build" }],
    ["cudart-sd-bin-win-cu12-x64.zip", { os: "windows", arch: "x64", backend: "cuda", variant: "cudart-cu12", kind: "runtime", cuda: "12" }],
    ["sd-master-97d2990-bin-win-vulkan-x64.zip", { os: "windows", backend: "vulkan", variant: "vulkan" }],
    ["sd-master-97d2990-bin-win-rocm-6.4.2-x64.zip", { os: "windows", backend: "rocm", variant: "rocm-6.4.2" }],
    // Older releases named CPU builds by instruction set.
    ["sd-master-abc1234-bin-win-avx2-x64.zip", { os: "windows", backend: "cpu", variant: "avx2" }],
    ["sd-master-abc1234-bin-win-noavx-x64.zip", { os: "windows", backend: "cpu", variant: "noavx" }],
    ["Source code (zip)", undefined],
    ["sd-master-97d2990-bin-Linux-Ubuntu-24.04-x86_64.tar.gz", undefined],
  ];
  for (const [name, info] of cases) {
    test(name, () => {
      if (info) expect(parseAssetName(name)).toMatchObject(info);
      else expect(parseAssetName(name)).toBeUndefined();
    });
  }
  test("every asset in the recorded release is recognised", () => {
    const assets = fromGithubRelease(releaseJson).assets;
    expect(assets).toHaveLength(9); // the recorded release lists nine
    for (const a of assets) expect(parseAssetName(a.name)).toBeDefined();
  });
});

describe("fetchRelease", () => {
  let server: ReturnType<typeof Bun.serve>;
  let dir: string;
  let up = true;
  const seen: string[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ed-release-"));
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch(req) {
        const path = new URL(req.url).pathname;
        seen.push(path);
        if (!up) return new Response("down", { status: 503 });
        if (path === "/repos/leejet/stable-diffusion.cpp/releases/tags/master-827-97d2990" || path === "/repos/leejet/stable-diffusion.cpp/releases/latest")
          return Response.json(releaseJson);
        return Response.json({ message: "Not Found" }, { status: 404 });
      },
    });
  });
  afterAll(() => {
    server.stop(true);
    rmSync(dir, { recursive: true, force: true });
  });
  const src = (tag: string) => ({ apiBase: `http://127.0.0.1:${server.port}/`, repo: "leejet/stable-diffusion.cpp", tag });

  test("URLs for a tag and for latest", () => {
    expect(releaseUrl({ apiBase: "https://api.github.com", repo: "a/b", tag: "master-1-abc" })).toBe("https://api.github.com/repos/a/b/releases/tags/master-1-abc");
    expect(releaseUrl({ apiBase: "https://api.github.com/", repo: "a/b", tag: "latest" })).toBe("https://api.github.com/repos/a/b/releases/latest");
  });

  test("reads tag, sizes, digests and URLs; caches; works offline from the cache", async () => {
    const cacheFile = join(dir, "release.json");
    up = true;
    const r = await fetchRelease(src("master-827-97d2990"), { cacheFile });
    expect(r.fromCache).toBe(false);
    expect(r.tag).toBe("master-827-97d2990");
    expect(r.assets).toHaveLength(9);
    expect(r.assets[0]).toMatchObject({ size: 10_000_000, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), url: expect.stringContaining("/releases/download/") });
    up = false;
    const offline = await fetchRelease(src("master-827-97d2990"), { cacheFile });
    expect(offline.fromCache).toBe(true);
    expect(offline.assets).toEqual(r.assets);
  });

  test("latest goes to /releases/latest", async () => {
    up = true;
    const r = await fetchRelease(src("latest"), { cacheFile: join(dir, "latest.json") });
    expect(r.tag).toBe("master-827-97d2990");
    expect(seen).toContain("/repos/leejet/stable-diffusion.cpp/releases/latest");
  });

  test("an unknown tag is a clear error, not a cache hit", async () => {
    up = true;
    const err = await fetchRelease(src("nope"), { cacheFile: join(dir, "release.json") }).catch((e) => e);
    expect(err.info).toMatchObject({ code: "download_failed", message: 'release "nope" not found in leejet/stable-diffusion.cpp' });
  });

  test("offline without a cache: DownloadFailed naming the host in words (the resolver's words stay out)", async () => {
    const err = await fetchRelease({ apiBase: "http://127.0.0.1:1", repo: "a/b", tag: "t" }, { cacheFile: join(dir, "none.json") }).catch((e) => e);
    expect(err.info.code).toBe("download_failed");
    expect(err.info.message).toBe("Can't reach 127.0.0.1:1 — is this computer offline?");
    expect(err.info.offline).toBe(true);
  });
});
