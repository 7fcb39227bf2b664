/**
 * A download in a command-line run (`worker rpc` and `engine build` fetch source tarballs before any
 * server listens): the process must live until the file is written and checked. Bun does not count a
 * response body being read as pending work, so with nothing else alive (no server, no top-level await,
 * as launcher/main.ts runs a command) the process ended, exit code 0 and nothing said (found by hand:
 * `worker rpc` stopped at 58, 76 and 80 MiB of an 84 MB tarball). downloads/download.ts holds it.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

test("a download in a process with nothing else to keep it alive runs to the end", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ed-cli-dl-"));
  // 40 MB: many blocks, so the download waits on its writer thread between reads.
  const body = new Uint8Array(40 * 1024 * 1024).map((_, i) => i % 251);
  const sha256 = new Bun.CryptoHasher("sha256").update(body).digest("hex");
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(body) });
  const script = join(dir, "cli.ts");
  writeFileSync(
    script,
    [
      `import { download } from ${JSON.stringify(join(import.meta.dir, "..", "..", "downloads", "download.ts"))};`,
      // No top-level await: as launcher/main.ts runs a command, through a promise chain the loop must keep alive.
      `void download({ url: process.argv[2], dest: process.argv[3], sha256: process.argv[4], kind: "source" }).then((r) => console.log("done", r.size));`,
    ].join("\n"),
  );
  try {
    const dest = join(dir, "file.bin");
    const child = Bun.spawn(["bun", script, `http://127.0.0.1:${server.port}/file.bin`, dest, sha256], { stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect({ code, out: out.trim(), err }).toEqual({ code: 0, out: `done ${body.length}`, err: "" });
    expect(readFileSync(dest).length).toBe(body.length);
  } finally {
    server.stop(true);
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
