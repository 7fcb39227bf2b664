/**
 * `bun run catalog:check` (scripts/catalog-check.ts) as a maintainer runs it,
 * a real child process, against a local Hugging Face stand-in with deliberate
 * faults: a missing repository (401 as Hugging Face answers it), a 404, a
 * mirror with another size, one with other bytes (another sha256), a gated
 * source (refused without the token, served with it) and an open source
 * wrongly marked gated. Base URL and token come from the config file or flags.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCatalog } from "../../models/net/catalog";
import { checkSource } from "../../models/net/catalog-check";
import { hfStandin, type HfStandin } from "./hf-standin";

const BYTES = new TextEncoder().encode("model bytes ".repeat(100));
const SHA = new Bun.CryptoHasher("sha256").update(BYTES).digest("hex");
const ROOT = join(import.meta.dir, "..", "..");

let hf: HfStandin;
let dir: string;

const yaml = (files: { name: string; sources: string[] }[]) =>
  `entries:\n  - id: starter\n    title: Starter\n    family: sd1\n    description: x\n    licence: MIT\n    licenceUrl: "{hf}/x"\n    memory: { vramGb: 0, ramGb: 1 }\n    needsAccount: ${files.some((f) => f.sources.every((s) => s.startsWith("gated:")))}\n    files:${files
    .map(
      (f) =>
        `\n      - kind: lora\n        name: ${f.name}\n        size: ${BYTES.length}\n        sha256: ${SHA}\n        sources:${f.sources.map((s) => `\n          - ${s.startsWith("gated:") ? `{ url: "{hf}/${s.slice(6)}/resolve/main/${f.name}", gated: true }` : `"{hf}/${s}/resolve/main/${f.name}"`}`).join("")}`,
    )
    .join("")}\n    set: { model: a.safetensors }\n`;

async function run(catalog: string, args: string[] = []) {
  const file = join(dir, `catalog-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, catalog);
  const p = Bun.spawn(["bun", "scripts/catalog-check.ts", "--config", join(dir, "config.yaml"), "--catalog", file, ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe", env: { ...process.env, HF_TOKEN: "", HF_ENDPOINT: "" } });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { out, err, code, lines: out.split("\n") };
}
const lineFor = (lines: string[], repo: string, token: boolean) => lines.find((l) => l.includes(`/${repo}/resolve/`) && l.includes(token ? "[token]" : "[no token]"));

beforeAll(() => {
  hf = hfStandin({ "a.safetensors": BYTES, "b.safetensors": BYTES }, { "good/one": "open", "gone/repo": 401, "missing/file": 404, "mirror/size": "other-size", "mirror/bytes": "other-bytes", "bfl/gated": "gated", "open/marked-gated": "open" });
  dir = mkdtempSync(join(tmpdir(), "ed-catalog-check-"));
  writeFileSync(join(dir, "config.yaml"), `models:\n  huggingface_base: ${hf.base}\n  huggingface_token: hf_ok\n`);
});
afterAll(() => {
  hf.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("bun run catalog:check", () => {
  test("every source matching: exit 0; the gated one is refused without the token (as recorded) and matches with it", async () => {
    const r = await run(yaml([{ name: "a.safetensors", sources: ["good/one", "gated:bfl/gated"] }]));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`against ${hf.base}, without and with the token`);
    expect(lineFor(r.lines, "good/one", false)).toMatch(new RegExp(`^ok .*HTTP 302  size ${BYTES.length}  sha256 ${SHA}  matches$`));
    expect(lineFor(r.lines, "bfl/gated", false)).toMatch(/^ok .*HTTP 401 .*gated, as recorded/);
    expect(lineFor(r.lines, "bfl/gated", true)).toMatch(new RegExp(`^ok .*HTTP 302  size ${BYTES.length}  sha256 ${SHA}  matches$`));
    expect(hf.requests.filter((q) => q.path === "/bfl/gated/resolve/main/a.safetensors").map((q) => [q.method, q.auth])).toEqual([
      ["HEAD", null],
      ["HEAD", "Bearer hf_ok"],
    ]);
  });

  test("a gone repository, a missing file, another size and other bytes: each a MISMATCH line, exit 1", async () => {
    const r = await run(yaml([{ name: "a.safetensors", sources: ["gone/repo", "missing/file", "mirror/size", "mirror/bytes"] }]), ["--token", ""]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("without a token (none configured");
    expect(lineFor(r.lines, "gone/repo", false)).toMatch(/^MISMATCH .*HTTP 401 .*refused without a token, but not marked gated/);
    expect(lineFor(r.lines, "missing/file", false)).toMatch(/^MISMATCH .*HTTP 404 .*not available \(HTTP 404\)/);
    expect(lineFor(r.lines, "mirror/size", false)).toMatch(new RegExp(`^MISMATCH .*size ${BYTES.length + 4} instead of ${BYTES.length}`));
    expect(lineFor(r.lines, "mirror/bytes", false)).toMatch(new RegExp(`^MISMATCH .*sha256 [0-9a-f]{64} instead of ${SHA}`));
    expect(r.lines.some((l) => l.includes("[token]"))).toBe(false);
    expect(r.out).toContain("4 mismatches");
  });

  test("--base overrides the configured base; a source marked gated that is open now is noted, not failed", async () => {
    writeFileSync(join(dir, "config.yaml"), `models:\n  huggingface_base: http://127.0.0.1:9\n`);
    const r = await run(yaml([{ name: "b.safetensors", sources: ["good/one", "gated:open/marked-gated"] }]), ["--base", hf.base]);
    expect(r.code).toBe(0);
    expect(lineFor(r.lines, "open/marked-gated", false)).toContain("matches (marked gated, but open now)");
  });

  test("a catalogue file without a recorded sha256 is a mismatch before anything is asked", async () => {
    const r = await run(yaml([{ name: "a.safetensors", sources: ["good/one"] }]).replace(/\n\s+sha256: [0-9a-f]{64}/, ""), ["--base", hf.base]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("MISMATCH starter/a.safetensors: no sha256 recorded");
  });

  test("a server whose HEAD is refused: the ranged GET's Content-Range gives the size, its X-Linked-Etag the sha256", async () => {
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: (req) =>
        req.method === "HEAD"
          ? new Response(null, { status: 405 })
          : req.headers.get("range") === "bytes=0-0"
            ? new Response(BYTES.slice(0, 1), { status: 206, headers: { "content-range": `bytes 0-0/${BYTES.length}`, "x-linked-etag": `"${SHA}"` } })
            : new Response("no range asked", { status: 400 }),
    });
    try {
      const url = `http://127.0.0.1:${server.port}/x/y/resolve/main/a.safetensors`;
      const r = await checkSource(url, { size: BYTES.length, sha256: SHA, gated: false }, "");
      expect(r).toMatchObject({ status: 405, size: BYTES.length, sha256: SHA, ok: true, note: "matches" });
    } finally {
      server.stop(true);
    }
  });
});

test("the shipped catalogue's sources all point at the configured Hugging Face base (so the check can be pointed at a stand-in)", () => {
  const sources = loadCatalog(undefined, "http://stand.in").flatMap((e) => e.files.flatMap((f) => f.sources));
  expect(sources.length).toBeGreaterThan(0);
  for (const s of sources) expect(s.url).toStartWith("http://stand.in/");
});
