/** Zip extraction (exec bits, zip-slip) and atomic installs with rollback. */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZipFile } from "yazl";
import { installZip, findServer } from "../../engine/install/install";
import { listInstalls, markInstallGood, readInstall } from "../../engine/install/installed";
import { entryPath, extractZip, UnsafeZipError } from "../../engine/install/unzip";

const root = mkdtempSync(join(tmpdir(), "ed-install-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, String(n++));

type Entry = { name: string; data?: string; mode?: number; dir?: boolean; symlink?: string };

/** Writes a zip with yazl; names go in verbatim (yazl validates them, so unsafe ones are patched in after). */
async function makeZip(entries: Entry[], rename: Record<string, string> = {}): Promise<string> {
  const zip = new ZipFile();
  for (const e of entries) {
    if (e.dir) zip.addEmptyDirectory(e.name, { mode: 0o40755 });
    else if (e.symlink) zip.addBuffer(Buffer.from(e.symlink), e.name, { mode: 0o120777 });
    else zip.addBuffer(Buffer.from(e.data ?? ""), e.name, { mode: e.mode ?? 0o100644 });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  let buf = Buffer.concat(chunks);
  // Same-length renames keep every offset valid (both the local and the central header carry the name).
  for (const [from, to] of Object.entries(rename)) {
    expect(to.length).toBe(from.length);
    buf = Buffer.from(buf.toString("latin1").split(from).join(to), "latin1");
  }
  const path = join(fresh() + ".zip");
  writeFileSync(path, buf);
  return path;
}

describe("extractZip", () => {
  test("keeps exec bits, folders and in-tree symlinks", async () => {
    const zip = await makeZip([
      { name: "build/", dir: true },
      { name: "build/bin/sd-server", data: "#!/bin/sh\necho hi\n", mode: 0o100755 },
      { name: "build/bin/libggml.so.1", data: "lib", mode: 0o100644 },
      { name: "build/bin/libggml.so", symlink: "libggml.so.1" },
    ]);
    const dir = fresh();
    const r = await extractZip(zip, dir);
    expect(r.files).toBe(2);
    expect(statSync(join(dir, "build/bin/sd-server")).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, "build/bin/libggml.so.1")).mode & 0o777).toBe(0o644);
    expect(lstatSync(join(dir, "build/bin/libggml.so")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "build/bin/libggml.so"), "utf8")).toBe("lib");
  });

  test("zip-slip: ../ entries are refused and nothing lands outside", async () => {
    const zip = await makeZip([{ name: "ok.txt", data: "fine" }, { name: "xx/evil.txt", data: "pwned" }], { "xx/evil.txt": "../evil.txt" });
    const dir = join(fresh(), "target");
    const err = await extractZip(zip, dir).catch((e) => e);
    expect(err).toBeInstanceOf(UnsafeZipError);
    expect(err.message).toBe('unsafe path in zip: "../evil.txt"');
    expect(existsSync(join(dir, "..", "evil.txt"))).toBe(false);
  });

  test("absolute paths and symlinks out of the tree are refused", async () => {
    const abs = await makeZip([{ name: "xtmp/evil", data: "x" }], { "xtmp/evil": "/tmp/evil" });
    expect((await extractZip(abs, fresh()).catch((e) => e)).message).toBe('unsafe path in zip: "/tmp/evil"');
    const link = await makeZip([{ name: "bin/passwd", symlink: "../../../etc/passwd" }]);
    expect((await extractZip(link, fresh()).catch((e) => e)).message).toContain("unsafe symlink in zip");
    const absLink = await makeZip([{ name: "bin/x", symlink: "/etc/passwd" }]);
    expect((await extractZip(absLink, fresh()).catch((e) => e)).message).toContain("unsafe symlink in zip");
  });

  test("chains of links are resolved against what was extracted: none leads out", async () => {
    // `s → .` then `a → s/../outside`: each looks inside on its own, together `a` is the folder's parent.
    const chain = await makeZip([
      { name: "s", symlink: "." },
      { name: "a", symlink: "s/../outside" },
    ]);
    const dir1 = fresh();
    const err1 = await extractZip(chain, dir1).catch((e) => e);
    expect(err1).toBeInstanceOf(UnsafeZipError);
    expect(err1.message).toBe('unsafe symlink in zip: "a" → "s/../outside"');
    // The other order: the link is checked again once the tree is complete.
    const late = await makeZip([
      { name: "a", symlink: "s/../outside" },
      { name: "s", symlink: "." },
    ]);
    const err2 = await extractZip(late, fresh()).catch((e) => e);
    expect(err2).toBeInstanceOf(UnsafeZipError);
    expect(err2.message).toContain('"a" → "s/../outside" leads out of the folder through another link');
    // A file written through a link to a folder outside is refused before it is written.
    const through = await makeZip([
      { name: "s", symlink: "." },
      { name: "up", symlink: "s/.." },
      { name: "up/evil.txt", data: "x" },
    ]);
    const dir3 = fresh();
    expect(await extractZip(through, dir3).catch((e) => e)).toBeInstanceOf(UnsafeZipError);
    expect(existsSync(join(dir3, "..", "evil.txt"))).toBe(false);
    // Links between links that stay inside are fine.
    const fine = await makeZip([
      { name: "lib/libggml.so.1.2", data: "x" },
      { name: "lib/libggml.so.1", symlink: "libggml.so.1.2" },
      { name: "lib/libggml.so", symlink: "libggml.so.1" },
      { name: "bin/lib", symlink: "../lib" },
    ]);
    const dir4 = fresh();
    await extractZip(fine, dir4);
    expect(readFileSync(join(dir4, "bin/lib/libggml.so"), "utf8")).toBe("x");
  });

  test("entryPath rules", () => {
    expect(entryPath("/r", "a/b")).toBe("/r/a/b");
    for (const bad of ["../x", "a/../../x", "/etc/x", "C:/x", "a\\..\\x"]) expect(() => entryPath("/r", bad)).toThrow(UnsafeZipError);
  });

  test("a file that is not a zip is a clear error", async () => {
    const p = fresh() + ".zip";
    writeFileSync(p, "not a zip");
    const err = await extractZip(p, fresh()).catch((e) => e);
    expect(err.info.code).toBe("verify_failed");
    expect(err.info.message).toContain("is not a readable zip file");
  });
});

describe("installZip", () => {
  const buildZip = (body: string) => makeZip([{ name: "sd-master-abc-bin/sd-server", data: `#!/bin/sh\n${body}\n`, mode: 0o100755 }, { name: "sd-master-abc-bin/README.md", data: "hi" }]);

  test("unpacks into engines/<tag>/<variant>/ with a record; sd-server found in a sub-folder", async () => {
    const engines = fresh();
    const zip = await buildZip("echo v1");
    const build = await installZip({ engines, tag: "master-1-aaa", variant: "vulkan", backend: "vulkan", zip: { path: zip, name: "x-vulkan.zip", sha256: "ab", size: 1 } });
    expect(build).toEqual({ tag: "master-1-aaa", variant: "vulkan", backend: "vulkan", dir: join(engines, "master-1-aaa", "vulkan"), serverPath: join(engines, "master-1-aaa", "vulkan", "sd-master-abc-bin", "sd-server") });
    const rec = readInstall(build.dir)!.record;
    expect(rec).toMatchObject({ tag: "master-1-aaa", variant: "vulkan", source: "release", good: false, assets: [{ name: "x-vulkan.zip", sha256: "ab", size: 1 }] });
    expect(Date.parse(rec.installedAt)).toBeGreaterThan(0);
    expect(readdirSync(engines).filter((x) => x.startsWith("."))).toEqual([]);
    const out = Bun.spawnSync([build.serverPath]).stdout.toString();
    expect(out).toBe("v1\n");
  });

  test("extras (cudart) go beside sd-server", async () => {
    const engines = fresh();
    const zip = await buildZip("echo cuda");
    const cudart = await makeZip([{ name: "cudart64_12.dll", data: "dll" }]);
    const build = await installZip({ engines, tag: "t", variant: "cuda12", backend: "cuda", zip: { path: zip, name: "a.zip" }, extras: [{ path: cudart, name: "cudart.zip" }] });
    expect(existsSync(join(build.dir, "sd-master-abc-bin", "cudart64_12.dll"))).toBe(true);
  });

  test("a zip without sd-server is refused and leaves nothing behind", async () => {
    const engines = fresh();
    const zip = await makeZip([{ name: "readme.txt", data: "nothing here" }]);
    const err = await installZip({ engines, tag: "t", variant: "cpu", backend: "cpu", zip: { path: zip, name: "empty.zip" } }).catch((e) => e);
    expect(err.info.message).toBe("no sd-server program found in empty.zip");
    expect(readdirSync(engines)).toEqual([]);
  });

  test("atomic: a failed reinstall leaves the previous install working", async () => {
    const engines = fresh();
    const good = await installZip({ engines, tag: "t", variant: "cpu", backend: "cpu", zip: { path: await buildZip("echo good"), name: "a.zip" } });
    const bad = await makeZip([{ name: "sd-server", data: "x" }, { name: "zz/evil", data: "x" }], { "zz/evil": "../evil" });
    const err = await installZip({ engines, tag: "t", variant: "cpu", backend: "cpu", zip: { path: bad, name: "bad.zip" } }).catch((e) => e);
    expect(err).toBeInstanceOf(UnsafeZipError);
    expect(Bun.spawnSync([good.serverPath]).stdout.toString()).toBe("good\n");
    expect(readdirSync(engines)).toEqual(["t"]);
  });

  test("a new tag installs beside the old; markGood removes the old one of the same variant only", async () => {
    const engines = fresh();
    const old = await installZip({ engines, tag: "master-1-aaa", variant: "vulkan", backend: "vulkan", zip: { path: await buildZip("echo 1"), name: "a.zip" } });
    const cpu = await installZip({ engines, tag: "master-1-aaa", variant: "cpu", backend: "cpu", zip: { path: await buildZip("echo c"), name: "c.zip" } });
    await Bun.sleep(5);
    const neu = await installZip({ engines, tag: "master-2-bbb", variant: "vulkan", backend: "vulkan", zip: { path: await buildZip("echo 2"), name: "b.zip" } });
    expect(listInstalls(engines).map((i) => `${i.tag}/${i.variant}`)).toEqual(["master-2-bbb/vulkan", "master-1-aaa/cpu", "master-1-aaa/vulkan"]);
    markInstallGood(engines, neu);
    expect(existsSync(old.dir)).toBe(false);
    expect(existsSync(cpu.dir)).toBe(true);
    expect(readInstall(neu.dir)!.record.good).toBe(true);
  });

  test("findServer prefers the shallowest match", () => {
    const dir = fresh();
    mkdirSync(join(dir, "a/b"), { recursive: true });
    writeFileSync(join(dir, "a/b/sd-server"), "");
    writeFileSync(join(dir, "a/sd-server.exe"), "");
    expect(findServer(dir)).toBe(join(dir, "a/sd-server.exe"));
  });
});
