/** `engine import`: folders and zips holding sd-server, checked by running `sd-server --help`. */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ZipFile } from "yazl";
import { detectBackend, importBuild } from "../../engine/install/import";
import { listInstalls } from "../../engine/install/installed";

const root = mkdtempSync(join(tmpdir(), "ed-import-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, String(n++));
const MAIN = join(import.meta.dir, "../../launcher/main.ts");

const HELP_OK = `#!/bin/sh\nif [ "$1" = "--help" ]; then echo "Usage: sd-server [options]"; exit 0; fi\nexit 3\n`;

function buildFolder(script = HELP_OK, mode = 0o755, extra: Record<string, string> = {}): string {
  const dir = join(fresh(), "my-sd-build");
  mkdirSync(join(dir, "bin"), { recursive: true });
  writeFileSync(join(dir, "bin", "sd-server"), script);
  chmodSync(join(dir, "bin", "sd-server"), mode);
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, "bin", name), text);
  return dir;
}

async function buildZip(script = HELP_OK): Promise<string> {
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(script), "sd-bin/sd-server", { mode: 0o100755 });
  zip.addBuffer(Buffer.from("vk"), "sd-bin/libggml-vulkan.so", { mode: 0o100644 });
  zip.end();
  const path = join(fresh() + "-cuda-custom.zip");
  mkdirSync(root, { recursive: true });
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

describe("importBuild", () => {
  test("a folder: copied into engines/imported-<name>/<variant>/ and recorded", async () => {
    const engines = join(fresh(), "engines");
    const build = await importBuild(buildFolder(), { engines });
    expect(build).toMatchObject({ tag: "imported-my-sd-build", variant: "cpu", backend: "cpu", dir: join(engines, "imported-my-sd-build", "cpu") });
    expect(build.serverPath).toBe(join(build.dir, "bin", "sd-server"));
    expect(Bun.spawnSync([build.serverPath, "--help"]).exitCode).toBe(0);
    expect(listInstalls(engines)[0]!.record).toMatchObject({ source: "import", assets: [{ name: "my-sd-build" }] });
  });

  test("a zip: exec bit kept, backend from the library names", async () => {
    const engines = join(fresh(), "engines");
    const zip = await buildZip();
    const build = await importBuild(zip, { engines });
    expect(build.backend).toBe("vulkan");
    expect(build.dir).toBe(join(engines, `imported-${basename(zip, ".zip")}`, "vulkan"));
    expect(Bun.spawnSync([build.serverPath, "--help"]).exitCode).toBe(0);
  });

  test("a script that fails --help is refused with its output", async () => {
    const engines = join(fresh(), "engines");
    const err = await importBuild(buildFolder(`#!/bin/sh\necho "error while loading shared libraries: libcudart.so.12" >&2\nexit 127\n`), { engines }).catch((e) => e);
    expect(err.info.code).toBe("verify_failed");
    expect(err.info.message).toBe("sd-server --help failed (exit code 127): error while loading shared libraries: libcudart.so.12");
    expect(existsSync(engines) ? readdirSync(engines) : []).toEqual([]);
  });

  test("a program without exec permission is refused", async () => {
    const err = await importBuild(buildFolder(HELP_OK, 0o644), { engines: join(fresh(), "engines") }).catch((e) => e);
    expect(err.info.message).toBe("sd-server is not executable");
    expect(err.info.hint).toContain("chmod +x");
  });

  test("no sd-server, a missing path, a non-zip file", async () => {
    const empty = fresh();
    mkdirSync(empty);
    writeFileSync(join(empty, "readme"), "x");
    expect((await importBuild(empty, { engines: join(fresh(), "e") }).catch((e) => e)).info.message).toContain("no sd-server program found");
    expect((await importBuild(join(root, "nope"), { engines: join(fresh(), "e") }).catch((e) => e)).info.message).toContain("does not exist");
    const txt = fresh() + ".txt";
    writeFileSync(txt, "x");
    expect((await importBuild(txt, { engines: join(fresh(), "e") }).catch((e) => e)).info.message).toContain("neither a folder nor a .zip");
  });

  test("detectBackend reads library names, then binary strings", () => {
    const cuda = buildFolder(HELP_OK, 0o755, { "libggml-cuda.so": "" });
    expect(detectBackend(join(cuda, "bin"), join(cuda, "bin", "sd-server"))).toBe("cuda");
    const statik = buildFolder(HELP_OK + "# ggml_vk_instance_init\n");
    expect(detectBackend(join(statik, "bin"), join(statik, "bin", "sd-server"))).toBe("vulkan");
  });
});

describe("easy-diffusion engine import (CLI)", () => {
  const cli = (...args: string[]) => Bun.spawnSync(["bun", MAIN, "engine", "import", ...args], { env: { ...process.env, ED_HOME: undefined } });

  test("imports a folder into --data-dir, exit 0", () => {
    const data = fresh();
    const r = cli(buildFolder(), "--data-dir", data);
    expect(r.stderr.toString()).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout.toString()).toContain(`as a cpu build into ${join(data, "engines", "imported-my-sd-build", "cpu")}`);
    expect(existsSync(join(data, "engines", "imported-my-sd-build", "cpu", "install.json"))).toBe(true);
  });

  test("a broken build: exit 1 with the reason and a hint", () => {
    const r = cli(buildFolder("#!/bin/sh\nexit 1\n"), "--data-dir", fresh());
    expect(r.exitCode).toBe(1);
    expect(r.stderr.toString()).toContain("sd-server --help failed (exit code 1)");
    expect(r.stderr.toString()).toContain("→ ");
  });

  test("usage errors: exit 2", () => {
    expect(cli().exitCode).toBe(2);
    expect(cli("a", "b").exitCode).toBe(2);
    expect(cli("--bogus", "x").exitCode).toBe(2);
  });
});
