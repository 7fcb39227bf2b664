/**
 * `bun run bench:size [-- --target <t>|all]... [--fast]`: how big the downloads are.
 * Prints figures; asserts nothing.
 *
 * - executable size per target, built here (target ≤ 120 MB)
 * - xz -9 of each executable, the download estimate (target ≤ 45 MB)
 * - the .deb, built here with xz -9 (target ≤ 45 MB), and every other
 *   package `bun run package` left in dist/packages/ for the same version
 * - baseline from the same run: a bare compiled Bun program per target, so
 *   the ratio and the difference show what the app adds to the Bun runtime
 *
 * --fast uses xz -6 with all cores instead of xz -9 (smaller machines, CI smoke).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { appInfo } from "../packaging/app";
import { buildDeb } from "../packaging/deb/build-deb";
import { renderPngs } from "../packaging/icons/render";
import { hostTarget, TARGETS, type Target } from "../packaging/targets";
import { buildUi } from "../scripts/build-ui";
import { compileExe } from "../scripts/build";
import { xzBytes } from "./xz";

const MAX_EXE = 120e6;
const MAX_DOWNLOAD = 45e6;
const root = join(import.meta.dir, "..");
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const mark = (bytes: number, max: number) => (bytes <= max ? "ok" : "OVER");

const { values } = parseArgs({ options: { target: { type: "string", multiple: true }, fast: { type: "boolean" } } });
const wanted = (values.target ?? ["all"]).flatMap((t) => t.split(","));
const targets: Target[] = wanted.includes("all") ? [...TARGETS] : (wanted.filter((t) => (TARGETS as readonly string[]).includes(t)) as Target[]);
if (targets.length !== wanted.filter((t) => t !== "all").length && !wanted.includes("all")) {
  console.error(`bench:size: unknown target in ${wanted.join(", ")}; use ${TARGETS.join(", ")} or all`);
  process.exit(2);
}
const xzArgs = values.fast ? ["-6", "-T0"] : ["-9", "-T1"];

const work = mkdtempSync(join(tmpdir(), "ed-bench-size-"));
try {
  await buildUi({ minify: true });
  const app = appInfo();

  // Baseline: the Bun runtime with nothing in it, per target.
  const bare = join(work, "bare.ts");
  writeFileSync(bare, 'console.log("hello");\n');
  const bareSize = (target: Target): number | undefined => {
    const out = join(work, `bare-${target}`);
    const p = Bun.spawnSync(["bun", "build", "--compile", "--minify", `--target=bun-${target}`, bare, "--outfile", out], { stdout: "ignore", stderr: "pipe" });
    return p.exitCode === 0 ? statSync(existsSync(out) ? out : `${out}.exe`).size : undefined;
  };

  console.log(`executables (xz ${xzArgs[0]} = download estimate; bare = a compiled hello-world for the same target)`);
  console.log(`${"target".padEnd(14)} ${"exe".padStart(9)} ${"bare".padStart(9)} ${"ratio".padStart(6)} ${"app adds".padStart(9)} ${"xz".padStart(9)}`);
  const exes = new Map<Target, string>();
  for (const target of targets) {
    let built;
    try {
      built = await compileExe(target);
    } catch (err) {
      console.log(`${target.padEnd(14)} could not build here: ${(err as Error).message.split("\n")[0]}`);
      continue;
    }
    exes.set(target, built.file);
    const base = bareSize(target);
    const xz = await xzBytes(built.file, xzArgs);
    const cols = base
      ? `${mb(base).padStart(9)} ${`${(built.bytes / base).toFixed(2)}x`.padStart(6)} ${mb(built.bytes - base).padStart(9)}`
      : `${"?".padStart(9)} ${"?".padStart(6)} ${"?".padStart(9)}`;
    console.log(
      `${target.padEnd(14)} ${mb(built.bytes).padStart(9)} ${cols} ${mb(xz).padStart(9)}` +
        `   exe ${mark(built.bytes, MAX_EXE)} (≤ ${mb(MAX_EXE)}), download ${mark(xz, MAX_DOWNLOAD)} (≤ ${mb(MAX_DOWNLOAD)})`,
    );
  }

  console.log("\npackages");
  const host = hostTarget();
  const outDir = join(root, "dist", "packages");
  if (host?.startsWith("linux") && exes.has(host) && Bun.which("dpkg-deb")) {
    const t0 = performance.now();
    const deb = await buildDeb({ target: host!, exe: exes.get(host)!, outDir, pngs: await renderPngs() });
    const size = statSync(deb).size;
    const seconds = ((performance.now() - t0) / 1000).toFixed(0);
    console.log(`${deb.slice(root.length + 1)}  ${mb(size)}  download ${mark(size, MAX_DOWNLOAD)}  (dpkg-deb -Zxz -z9, ${seconds} s)`);
  } else {
    console.log("deb: not built (needs dpkg-deb and a Linux target built on this machine)");
  }
  // Whatever `bun run package` made for this version.
  const others = existsSync(outDir)
    ? readdirSync(outDir).filter(
        (f) => [app.version, app.version.replace(/-/g, "~")].some((v) => f.includes(v)) && !f.endsWith(".deb") && statSync(join(outDir, f)).isFile(),
      )
    : [];
  for (const f of others) {
    const size = statSync(join(outDir, f)).size;
    console.log(`dist/packages/${f}  ${mb(size)}  download ${mark(size, MAX_DOWNLOAD)}`);
  }
  if (others.length === 0) console.log("(no other packages in dist/packages/; run `bun run package -- --target all` first)");
} finally {
  rmSync(work, { recursive: true, force: true });
}
