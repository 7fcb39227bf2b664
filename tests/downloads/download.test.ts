/** download() against a local server that cuts, ignores Range, corrupts, 404s and stalls. */
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBus } from "../../core/events/bus";
import { download, type DownloadOptions } from "../../downloads/download";
import { DownloadError } from "../../downloads/errors";
import type { DownloadProgress } from "../../downloads/progress";
import { formatProgress, showDownloadProgress } from "../../downloads/terminal-progress";
import { serveAssets } from "../engine/asset-server";

const SIZE = 8 * 1024 * 1024;
const data = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i += 4096) crypto.getRandomValues(data.subarray(i, i + 4096));
const sha = new Bun.CryptoHasher("sha256").update(data).digest("hex");
const server = serveAssets({ "engine.zip": data });
const root = mkdtempSync(join(tmpdir(), "ed-download-"));
let dir: string;
let n = 0;

beforeEach(() => {
  server.fault = undefined;
  server.requests.length = 0;
  server.sent = 0;
  dir = join(root, String(n++));
});
afterAll(() => {
  server.stop();
  rmSync(root, { recursive: true, force: true });
});

const opts = (extra: Partial<DownloadOptions> = {}): DownloadOptions => ({
  url: server.url("engine.zip"),
  dest: join(dir, "engine.zip"),
  size: SIZE,
  sha256: `sha256:${sha}`,
  backoffMs: 10,
  stallMs: 5000,
  ...extra,
});
const same = (path: string) => Buffer.from(readFileSync(path)).equals(Buffer.from(data));

describe("download", () => {
  test("streams to .part, verifies, renames; progress on the bus, throttled", async () => {
    const bus = new EventBus();
    const events: DownloadProgress[] = [];
    bus.on("download", (p) => events.push(p));
    const r = await download(opts({ bus }));
    expect(r).toMatchObject({ size: SIZE, sha256: sha, attempts: 1, receivedBytes: SIZE });
    expect(same(r.path)).toBe(true);
    expect(readdirSync(dir)).toEqual(["engine.zip"]);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ asset: "engine.zip", bytes: SIZE, total: SIZE, phase: "done" });
    expect(events.length).toBeLessThan(40); // ~5/s, not one per chunk
  });

  test("a cut mid-way resumes with Range + If-Range and re-fetches ≤ 1%", async () => {
    server.fault = { kind: "cut", at: SIZE / 2, times: 1 };
    const r = await download(opts());
    expect(same(r.path)).toBe(true);
    expect(r.attempts).toBe(2);
    const resumed = server.requests[1]!;
    expect(resumed.status).toBe(206);
    expect(resumed.range).toBe(`bytes=${SIZE / 2}-`);
    expect(resumed.ifRange).toMatch(/^".+"$/);
    expect(r.receivedBytes).toBe(SIZE);
    expect(server.sent).toBe(SIZE); // not one byte sent twice
  });

  test("a reset mid-way (bytes in flight lost) still ends verified", async () => {
    server.fault = { kind: "cut", at: SIZE / 2, times: 1, abrupt: true };
    const r = await download(opts());
    expect(same(r.path)).toBe(true);
    expect(r.receivedBytes).toBe(SIZE);
  });

  test("resumes after a restart: a later call continues the .part file", async () => {
    server.fault = { kind: "cut", at: SIZE / 2 };
    const first = await download(opts({ retries: 0 })).catch((e) => e);
    expect(first.code).toBe("download_failed");
    const kept = statSync(join(dir, "engine.zip.part")).size;
    expect(kept).toBeGreaterThan(0);
    server.fault = undefined;
    const r = await download(opts());
    expect(same(r.path)).toBe(true);
    expect(r.receivedBytes).toBe(SIZE - kept);
    expect(server.requests.at(-1)!.status).toBe(206);
  });

  test("a server that ignores Range: starts again from 0 and still gets it right", async () => {
    // First a cut that leaves a .part file, so the next call asks for the rest with Range.
    server.fault = { kind: "cut", at: SIZE / 2, times: 1 };
    const cut = await download(opts({ retries: 0 })).then(() => undefined, (e) => e);
    expect(cut?.code).toBe("download_failed");
    expect(statSync(join(dir, "engine.zip.part")).size).toBeGreaterThan(0);
    server.fault = { kind: "ignore-range" };
    const r = await download(opts());
    expect(server.requests.at(-1)).toMatchObject({ range: expect.stringMatching(/^bytes=[1-9]\d*-$/), status: 200 });
    expect(same(r.path)).toBe(true);
  });

  test("a corrupted byte fails verification and the file is deleted", async () => {
    server.fault = { kind: "corrupt", at: 12345 };
    const err = await download(opts()).catch((e) => e);
    expect(err.code).toBe("verify_failed");
    expect(err.message).toContain("sha256 mismatch");
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a wrong size fails verification", async () => {
    const err = await download(opts({ size: SIZE + 1 })).catch((e) => e);
    expect(err.code).toBe("verify_failed");
    expect(err.message).toContain(`size ${SIZE} instead of ${SIZE + 1} bytes`);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a server whose file size differs from the release is refused after a resume", async () => {
    server.fault = { kind: "cut", at: SIZE / 2, times: 1 };
    const err = await download(opts({ size: SIZE - 10, sha256: undefined })).catch((e) => e);
    expect(err.code).toBe("verify_failed");
    expect(readdirSync(dir)).toEqual([]);
  });

  test("404 is a clear error at once, no retries", async () => {
    const err = await download(opts({ url: server.url("missing.zip") })).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.code).toBe("not_available");
    expect(err.message).toBe(`missing.zip is not available (HTTP 404 from ${new URL(server.url("missing.zip")).host})`);
    expect(server.requests).toHaveLength(1);
  });

  test("5xx is retried with backoff", async () => {
    server.fault = { kind: "status", status: 503, times: 2 };
    const r = await download(opts());
    expect(r.attempts).toBe(3);
    expect(same(r.path)).toBe(true);
  });

  test("a stall aborts the try and the retry resumes", async () => {
    server.fault = { kind: "stall", at: SIZE / 4, times: 1 };
    const r = await download(opts({ stallMs: 1000 }));
    expect(r.attempts).toBeGreaterThanOrEqual(2); // a busy machine may stall a try more
    expect(same(r.path)).toBe(true);
    expect(server.requests[1]!.status).toBe(206);
  });

  test("gives up after the retries with the last reason", async () => {
    server.fault = { kind: "status", status: 500 };
    const err = await download(opts({ retries: 2 })).catch((e) => e);
    expect(err.message).toMatch(/^127\.0\.0\.1:\d+ has a problem right now \(HTTP 500\): engine\.zip was not downloaded \(gave up after 3 tries\)$/);
  });

  test("cancel via AbortSignal stops at once and keeps the part for later", async () => {
    server.fault = { kind: "stall", at: SIZE / 2 };
    const ac = new AbortController();
    const p = download(opts({ signal: ac.signal, progressIntervalMs: 0, onProgress: (e) => e.bytes >= SIZE / 4 && ac.abort() }));
    const err = await p.catch((e) => e);
    expect((err as Error).name).toBe("AbortError");
    expect(existsSync(join(dir, "engine.zip"))).toBe(false);
    expect(statSync(join(dir, "engine.zip.part")).size).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(1);
  });

  test("an already verified file is not fetched again", async () => {
    await download(opts());
    server.requests.length = 0;
    const r = await download(opts());
    expect(r.receivedBytes).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  test("a stale .part for another URL is thrown away", async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "engine.zip.part"), "garbage");
    writeFileSync(join(dir, "engine.zip.part.json"), JSON.stringify({ url: "http://elsewhere/x.zip" }));
    const r = await download(opts());
    expect(same(r.path)).toBe(true);
  });
});

// /dev/full answers every write with ENOSPC; a symlinked .part points at it.
test.skipIf(!existsSync("/dev/full"))("disk full: disk_full error and the partial file removed", async () => {
  const { mkdirSync, symlinkSync } = await import("node:fs");
  const d = join(root, "full");
  mkdirSync(d, { recursive: true });
  symlinkSync("/dev/full", join(d, "engine.zip.part"));
  writeFileSync(join(d, "engine.zip.part.json"), JSON.stringify({ url: server.url("engine.zip"), size: SIZE }));
  server.fault = undefined;
  const err = await download({ ...opts(), dest: join(d, "engine.zip") }).catch((e) => e);
  expect(err.code).toBe("disk_full");
  expect(err.message).toContain("the disk is full");
  expect(existsSync(join(d, "engine.zip.part"))).toBe(false);
  expect(existsSync(join(d, "engine.zip.part.json"))).toBe(false);
});

describe("terminal progress", () => {
  test("a bar with percent, sizes, rate and ETA", () => {
    expect(formatProgress({ id: "a.zip", kind: "engine", asset: "a.zip", bytes: 50 * 1024 * 1024, total: 200 * 1024 * 1024, rate: 25 * 1024 * 1024, eta: 6, phase: "downloading" })).toBe(
      `Engine a.zip [${"#".repeat(8)}${" ".repeat(22)}]  25% 50.0 MB/200.0 MB 25.0 MB/s ETA 6s`,
    );
    expect(formatProgress({ id: "a.zip", kind: "engine", asset: "a.zip", bytes: 1, rate: 0, phase: "installing" })).toBe("Installing a.zip…");
  });
  test("redrawn in place on a TTY, a line per 10% otherwise", () => {
    for (const isTTY of [true, false]) {
      const bus = new EventBus();
      let text = "";
      const off = showDownloadProgress(bus, { isTTY, write: (t: string) => (text += t) });
      for (let b = 0; b <= 100; b += 5) bus.publish("download", { id: "a.zip", kind: "engine", asset: "a.zip", bytes: b, total: 100, rate: 1, phase: "downloading" });
      bus.publish("download", { id: "a.zip", kind: "engine", asset: "a.zip", bytes: 100, total: 100, rate: 0, phase: "installed" });
      off();
      if (isTTY) {
        expect(text.split("\r\x1b[K")).toHaveLength(23);
        expect(text.endsWith("Installed a.zip.\n")).toBe(true);
      } else {
        expect(text.trim().split("\n")).toHaveLength(12);
        expect(text).not.toContain("\r");
      }
    }
  });
});

describe("tokens stay with their host", () => {
  test("the Authorization header reaches the URL's origin but not the CDN it redirects to; 401 reads as unauthorized", async () => {
    const body = new Uint8Array(1000).fill(7);
    const seen: { host: string; auth: string | null }[] = [];
    const cdn = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: (req) => (seen.push({ host: "cdn", auth: req.headers.get("authorization") }), new Response(body)),
    });
    const origin = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: (req) => {
        seen.push({ host: "origin", auth: req.headers.get("authorization") });
        if (!req.headers.get("authorization")) return new Response("no", { status: 401 });
        // Same port and host for "localhost" would be another origin too; the CDN here is another port.
        return Response.redirect(`http://127.0.0.1:${cdn.port}/file.bin`, 302);
      },
    });
    const dir = mkdtempSync(join(tmpdir(), "ed-dl-auth-"));
    try {
      const url = `http://127.0.0.1:${origin.port}/resolve/file.bin`;
      const denied = await download({ url, dest: join(dir, "a.bin"), retries: 0 }).catch((e) => e);
      expect(denied).toBeInstanceOf(DownloadError);
      expect(denied.code).toBe("unauthorized");
      expect(denied.httpStatus).toBe(401);
      seen.length = 0;
      const r = await download({ url, dest: join(dir, "b.bin"), headers: { authorization: "Bearer secret" }, retries: 0 });
      expect(r.size).toBe(1000);
      expect(seen).toEqual([
        { host: "origin", auth: "Bearer secret" },
        { host: "cdn", auth: null },
      ]);
    } finally {
      origin.stop(true);
      cdn.stop(true);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
