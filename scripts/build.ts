/**
 * `bun run build [-- --target <t>|all]`: bundles the UI, then compiles
 * launcher/main.ts into one executable with the UI embedded (through
 * ui/dist/manifest.ts) and only the target's webview-napi binding (Bun
 * inlines process.platform/arch for the target, so the other branches of
 * launcher/window/native.ts and their .node files are dropped).
 *
 * Without --target: dist/easy-diffusion for this machine.
 * With --target t: dist/easy-diffusion-<t>[.exe]; Bun fetches the target's
 * runtime from the npm registry (@oven/bun-<os>-<arch>) the first time.
 * The JavaScript is precompiled to bytecode: ~3.6 MB more, starts ~40% sooner
 * (JSC falls back to the embedded source if a runtime rejects the bytecode).
 * `--no-bytecode` leaves it out.
 * The webview binding goes in zstd-compressed (~7 MB → ~2 MB; the window
 * unpacks it once, see launcher/window/native.ts).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { buildUi } from "./build-ui";

const root = join(import.meta.dir, "..");

export const TARGETS = ["linux-x64", "linux-arm64", "windows-x64", "darwin-arm64", "darwin-x64"] as const;
export type Target = (typeof TARGETS)[number];

/** Where the executable for a target goes; the host build keeps the plain name. */
export function outfileFor(target: Target | undefined): string {
  if (!target) return join(root, "dist", "easy-diffusion");
  return join(root, "dist", `easy-diffusion-${target}${target.startsWith("windows") ? ".exe" : ""}`);
}

/** Bun's name for a target (its runtime packages say aarch64 for arm64 on Linux). */
export function bunTarget(target: Target): string {
  return `bun-${target}`;
}

/** webview-napi's name for each target's binding. */
const WEBVIEW_BINDING: Record<Target, string> = {
  "linux-x64": "linux-x64-gnu",
  "linux-arm64": "linux-arm64-gnu",
  "windows-x64": "win32-x64-msvc",
  "darwin-arm64": "darwin-arm64",
  "darwin-x64": "darwin-x64",
};

function hostTarget(): Target {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const t = `${os}-${process.arch}`;
  if (!(TARGETS as readonly string[]).includes(t)) throw new Error(`no build target for this machine (${t})`);
  return t as Target;
}

/**
 * dist/webview/<binding>.node.zst, which launcher/window/native.ts embeds in
 * place of the .node. zstd -19 (~3 s) rather than gzip: 0.6 MB smaller, and
 * the xz'd packages grow by ~0.15 MB instead of ~0.8. Redone only when the .node changes.
 */
function compressWebviewBinding(target: Target): void {
  const name = `webview-napi.${WEBVIEW_BINDING[target]}.node`;
  const source = join(root, "node_modules", "webview-napi", name);
  const file = join(root, "dist", "webview", `${name}.zst`);
  // Keyed by the content's hash (package files' times say nothing: npm sets them all alike).
  const bytes = readFileSync(source);
  const stamp = `${file}.source-hash`;
  const hash = Bun.hash(bytes).toString(36);
  if (existsSync(file) && existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return;
  mkdirSync(dirname(file), { recursive: true });
  // Renamed into place: a build running at the same time never embeds a half-written file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Bun.zstdCompressSync(bytes, { level: 19 }));
  renameSync(tmp, file);
  writeFileSync(stamp, hash);
}

export interface BuiltExe {
  target: Target | "host";
  file: string;
  bytes: number;
}

/** Compiles the launcher; the UI must already be built into ui/dist. */
export async function compileExe(target: Target | undefined, outfile = outfileFor(target), options: { bytecode?: boolean } = {}): Promise<BuiltExe> {
  compressWebviewBinding(target ?? hostTarget());
  const cmd = [
    "bun",
    "build",
    "--compile",
    "--minify",
    "--sourcemap=none",
    "--define",
    "EMBEDDED_WEBVIEW_ZST=true",
    join(root, "launcher", "main.ts"),
    join(root, "gallery", "thumb-worker.ts"),
    "--outfile",
    outfile,
  ];
  if (options.bytecode ?? true) cmd.push("--bytecode");
  if (target) cmd.push(`--target=${bunTarget(target)}`);
  const proc = Bun.spawn(cmd, { cwd: root, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`bun build for ${target ?? "this machine"} failed (exit ${code}):\n${err || out}`);
  return { target: target ?? "host", file: outfile, bytes: statSync(outfile).size };
}

export function parseBuildArgs(argv: string[]): { targets: (Target | undefined)[]; bytecode: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: { bytecode: { type: "boolean", default: true }, target: { type: "string", multiple: true } },
    strict: true,
    allowNegative: true,
  });
  return { targets: parseTargets(values.target ?? []), bytecode: values.bytecode !== false };
}

export function parseTargets(wanted: string[]): (Target | undefined)[] {
  if (wanted.length === 0) return [undefined];
  const out: (Target | undefined)[] = [];
  for (const t of wanted.flatMap((v) => v.split(","))) {
    if (t === "all") out.push(...TARGETS);
    else if ((TARGETS as readonly string[]).includes(t)) out.push(t as Target);
    else throw new Error(`unknown target "${t}"; use one of ${TARGETS.join(", ")} or all`);
  }
  return [...new Set(out)];
}

export async function build(targets: (Target | undefined)[] = [undefined], bytecode = true): Promise<BuiltExe[]> {
  await buildUi({ minify: true });
  const built: BuiltExe[] = [];
  // One at a time: each compile holds the whole runtime in memory.
  for (const t of targets) built.push(await compileExe(t, outfileFor(t), { bytecode }));
  return built;
}

if (import.meta.main) {
  let args: ReturnType<typeof parseBuildArgs>;
  try {
    args = parseBuildArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`build: ${(err as Error).message}`);
    process.exit(2);
  }
  const started = performance.now();
  for (const b of await build(args.targets, args.bytecode)) {
    console.log(`${b.file.slice(root.length + 1)}  ${(b.bytes / 1e6).toFixed(1)} MB  (${b.target})`);
  }
  console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
