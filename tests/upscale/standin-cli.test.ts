/**
 * The stand-in sd-cli against the real binary's recording
 * (tests/fixtures/sd-server/sd-cli-upscale.json): every recorded run is
 * replayed on the stand-in with equivalent inputs, and stdout, stderr, exit
 * code and output size must match (timings and the MB/s figure masked).
 * The launcher's argv (upscale/sd-cli.ts sdCliArgs) uses only flags the
 * recorded `sd-cli --help` lists.
 */
import { afterAll, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sdCliArgs } from "../../upscale/sd-cli";
import { pngSize } from "../../pictures/metadata/png";
import { writeSafetensors } from "../models/fixtures";
import { standinBuild } from "../standin/pack";
import { gradientPng, writeEsrgan } from "./fixtures";

const fixtures = join(import.meta.dir, "../fixtures/sd-server");
const recording = JSON.parse(readFileSync(join(fixtures, "sd-cli-upscale.json"), "utf8")) as {
  runs: { name: string; argv: string[]; exitCode: number; stdout: string; stderr: string; outputSize: [number, number] | null }[];
};
const help = readFileSync(join(fixtures, "sd-cli-help.txt"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "ed-sdcli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const build = join(dir, "build");
standinBuild(build, { stepMs: 1 });
writeEsrgan(join(dir, "x4.safetensors"), 4);
writeEsrgan(join(dir, "x2.safetensors"), 2);
writeSafetensors(join(dir, "notesrgan.safetensors"), [{ name: "model.diffusion_model.foo.weight", shape: [4, 4], dtype: "F32" }]);
writeFileSync(join(dir, "in.png"), gradientPng());
writeFileSync(join(dir, "in128.png"), gradientPng(128, 128));
writeFileSync(join(dir, "bad.png"), "not png\n");

/** Timings and transfer rates differ run to run. */
const mask = (s: string) => s.replace(/\d+\.\d+(MB\/s|GB\/s)/g, "#MB/s").replace(/\d+\.\d+(it\/s|s\/it)/g, "#rate").replace(/\d+\.\d+s/g, "#s");

for (const run of recording.runs) {
  test(`stand-in sd-cli matches the recorded run "${run.name}"`, async () => {
    rmSync(join(dir, "out.png"), { force: true });
    const proc = Bun.spawn([join(build, "sd-cli"), ...run.argv], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(code).toBe(run.exitCode);
    expect(mask(stderr)).toBe(mask(run.stderr));
    // The usage names the program as invoked; the recording says `sd-cli`.
    expect(mask(stdout)).toBe(mask(run.stdout));
    const size = existsSync(join(dir, "out.png")) ? pngSize(readFileSync(join(dir, "out.png"))) : null;
    expect(size ? [size.width, size.height] : null).toEqual(run.outputSize);
  });
}

test("the launcher's sd-cli argv uses only flags of the recorded help", () => {
  const args = sdCliArgs({ model: "m.safetensors", input: "in.png", output: "out.png", repeats: 2, tileSize: 256 });
  expect(args).toEqual(["-M", "upscale", "--upscale-model", "m.safetensors", "-i", "in.png", "-o", "out.png", "--upscale-repeats", "2", "--upscale-tile-size", "256"]);
  for (const flag of args.filter((a) => a.startsWith("-"))) expect(new RegExp(`^ {2}(-\\w, )?${flag}\\b|^ {2}-\\w, ${flag}\\b|^ {2}${flag},`, "m").test(help)).toBe(true);
  expect(help).toMatch(/run mode, one of \[[^\]]*upscale/);
});
