import { describe, expect, test } from "bun:test";
import { bunTarget, outfileFor, parseBuildArgs, TARGETS } from "../../scripts/build";

const parseTargets = (argv: string[]) => parseBuildArgs(argv).targets;

describe("build targets", () => {
  test("no --target builds for this machine; all expands; lists and repeats are accepted once", () => {
    expect(parseTargets([])).toEqual([undefined]);
    expect(parseTargets(["--target", "all"])).toEqual([...TARGETS]);
    expect(parseTargets(["--target", "linux-arm64,windows-x64", "--target", "linux-arm64"])).toEqual(["linux-arm64", "windows-x64"]);
  });

  test("an unknown target is refused with the list", () => {
    expect(() => parseTargets(["--target", "amiga"])).toThrow(/unknown target "amiga".*linux-x64/);
    expect(() => parseTargets(["--tagret", "x"])).toThrow();
  });

  test("bytecode unless --no-bytecode", () => {
    expect(parseBuildArgs([]).bytecode).toBe(true);
    expect(parseBuildArgs(["--no-bytecode", "--target", "linux-x64"])).toEqual({ targets: ["linux-x64"], bytecode: false });
  });

  test("file names and Bun target names", () => {
    expect(outfileFor(undefined)).toEndWith("/dist/easy-diffusion");
    expect(outfileFor("windows-x64")).toEndWith("/dist/easy-diffusion-windows-x64.exe");
    expect(outfileFor("darwin-arm64")).toEndWith("/dist/easy-diffusion-darwin-arm64");
    expect(bunTarget("linux-arm64")).toBe("bun-linux-arm64");
  });
});
