/**
 * The engine service of a recorded Debian 12 machine (glibc too old for every
 * release build) whose source builder builds a tag from the local GitHub-like
 * server, with real CMake and compiler; cmake can be hidden from the
 * toolchain check to play a machine without it. Shared by the Chromium tests
 * of the build flow.
 */
import type { Config } from "../../core/config/schema";
import { SourceBuilder } from "../../engine/build/builder";
import { systemProbes } from "../../engine/build/toolchain";
import { detectHardware } from "../../engine/detect/detect";
import { recordedProbeIO } from "../../engine/detect/probe-io";
import { createBuildProvider } from "../../engine/install/provider";
import { engineParts, type EngineServiceOptions } from "../../engine/service";
import { probeFixtures } from "../fixtures/probes/fixtures";

export function debianBuildParts(o: { githubApi: () => string; buildTag: () => string; hideCmake: () => boolean } & Pick<EngineServiceOptions, "installOnStart">) {
  const recording = probeFixtures().find(([name]) => name === "debian12-cpu")![1].recording;
  return engineParts({
    provider: (ctx) => createBuildProvider({ config: ctx.config, paths: ctx.paths, bus: ctx.bus, log: ctx.log, detect: () => detectHardware(recordedProbeIO(recording)) }),
    builder: (ctx) => {
      const config = {
        get config(): Config {
          return { ...ctx.config.config, engine: { ...ctx.config.config.engine, api_base: o.githubApi(), release_tag: o.buildTag() } };
        },
      };
      const probes = () => {
        const real = systemProbes();
        return { ...real, osRelease: "ID=debian\nVERSION_ID=12\n", which: (c: string) => (o.hideCmake() && c === "cmake" ? undefined : real.which(c)) };
      };
      return new SourceBuilder({ config, paths: ctx.paths, bus: ctx.bus, probes, jobs: 2 });
    },
    supervisor: { backoffMs: 50, stopGraceMs: 2_000, readyTimeoutMs: 20_000 },
    installOnStart: o.installOnStart,
  });
}
