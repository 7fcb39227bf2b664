/**
 * `easy-diffusion engine build`: usage errors (2), missing tools (1 with the install command), a build (0),
 * and without --backend the plan's backend for the machine (Linux NVIDIA without nvcc → vulkan).
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCommand as parseCli } from "../../launcher/cli/args";
import { runEngineBuild } from "../../engine/build-cli";
import { detectHardware } from "../../engine/detect/detect";
import { recordedProbeIO } from "../../engine/detect/probe-io";
import { readEnv } from "../../core/env";
import { probeFixtures } from "../fixtures/probes/fixtures";
import { systemProbes } from "../../engine/build/toolchain";
import { tempDir } from "../standin/fixtures";
import { makeSourceFixture, serveGithub } from "./source-tree";
import { needBuildTools } from "../kit/needs";

setDefaultTimeout(120_000);
const MAIN = join(import.meta.dir, "..", "..", "launcher", "main.ts");
const haveTools = needBuildTools();
const tmp = tempDir();
const gh = serveGithub(haveTools ? [await makeSourceFixture("v-cli")] : []);
afterAll(() => {
  gh.stop();
  tmp.cleanup();
});

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const p = Bun.spawn([process.execPath, MAIN, "engine", "build", ...args], { env: { ...process.env, ED_HOME: undefined, ...env }, stdout: "pipe", stderr: "pipe" });
  const [code, stdout, stderr] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code, stdout, stderr };
}

function configFile(name: string): string {
  mkdirSync(tmp.dir, { recursive: true });
  const f = join(tmp.dir, `${name}.yaml`);
  writeFileSync(f, `engine:\n  api_base: ${gh.apiBase}\n  release_tag: v-cli\n`);
  return f;
}

describe("easy-diffusion engine build", () => {
  test("arguments: --backend is checked (exit 2)", async () => {
    expect(parseCli(["engine", "build", "--backend", "cuda"])).toMatchObject({ kind: "engine-build", backend: "cuda" });
    expect(parseCli(["engine", "build"])).toMatchObject({ kind: "engine-build" });
    const bad = await cli(["--backend", "metal"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--backend must be one of cpu, vulkan, cuda, rocm");
  });

  test("without cmake on PATH: exit 1 naming it, with an install command or hint", async () => {
    const r = await cli(["--data-dir", join(tmp.dir, "d0"), "--config", configFile("c0")], { PATH: "/nonexistent" + ":" + process.execPath.replace(/\/[^/]+$/, "") });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("missing cmake");
  });

  test.skipIf(!haveTools)("builds and installs into --data-dir, exit 0", async () => {
    const data = join(tmp.dir, "d1");
    const r = await cli(["--data-dir", data, "--config", configFile("c1")]);
    expect(r.stderr).toContain("Engine build (cpu): compiling 100%");
    expect(r.code).toBe(0);
    expect(existsSync(join(data, "engines", "v-cli", "built-cpu", "install.json"))).toBe(true);
    expect(existsSync(join(data, "engines", "v-cli", "built-cpu", "bin", "sd-cli"))).toBe(true);
  });

  test.skipIf(!haveTools)("without --backend: the plan's backend for this machine (NVIDIA on Linux: vulkan, with nvcc cuda), not cpu", async () => {
    const f = join(tmp.dir, "c2.yaml");
    writeFileSync(f, `engine:\n  api_base: ${gh.apiBase}\n  release_tag: latest\n`);
    const recording = probeFixtures().find(([n]) => n === "nvidia-linux")![1].recording;
    // The real probes, with the CUDA and Vulkan SDKs hidden or a fake nvcc shown.
    const probes = (nvcc: boolean) => () => {
      const real = systemProbes();
      return {
        ...real,
        which: (c: string) => (c === "nvcc" ? (nvcc ? "/fake/nvcc" : undefined) : c === "glslc" ? undefined : real.which(c)),
        exists: (p: string) => !/nvcc|vulkan/.test(p) && real.exists(p),
      };
    };
    const run = async (nvcc: boolean, dataDir: string) => {
      const lines: string[] = [];
      const original = console.error;
      console.error = (...a: unknown[]) => void lines.push(a.join(" "));
      try {
        const code = await runEngineBuild({ kind: "engine-build", dataDir, config: f }, readEnv({}), { detect: () => detectHardware(recordedProbeIO(recording)), probes: probes(nvcc) });
        return { code, lines };
      } finally {
        console.error = original;
      }
    };
    const vulkan = await run(false, join(tmp.dir, "d2"));
    expect(vulkan.code).toBe(1);
    expect(vulkan.lines[0]).toBe("easy-diffusion: cannot build the vulkan engine: missing vulkan headers, glslc");
    // With nvcc the plan's build is CUDA (the tiny tree builds for any backend).
    const cuda = await run(true, join(tmp.dir, "d3"));
    expect(cuda.code).toBe(0);
    expect(existsSync(join(tmp.dir, "d3", "engines", "v-cli", "built-cuda", "install.json"))).toBe(true);
  });
});
