/**
 * R4: downloads under faults, n times: a cut at a random offset (clean or a
 * reset), a corrupted byte, 404, server errors, a stall, a server ignoring
 * Range, and a full disk (a small tmpfs where mounting is allowed, else
 * /dev/full). Each ends resumed and verified, or with a clear error; a file
 * that is not verified never appears under its final name.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { download } from "../../downloads/download";
import { DownloadError } from "../../downloads/errors";
import { sha256File } from "../../downloads/part-writer";
import { serveAssets, type Fault } from "../engine/asset-server";
import { result, type SuiteResult } from "./suite";

const SIZE = 1024 * 1024 + 17;
type Kind = "cut" | "reset" | "corrupt" | "404" | "500" | "stall" | "ignore-range" | "disk-full";
const KINDS: Kind[] = ["cut", "reset", "corrupt", "404", "500", "stall", "ignore-range", "disk-full"];
/** What each fault must end as. */
const EXPECT: Record<Kind, "verified" | DownloadError["code"]> = {
  cut: "verified",
  reset: "verified",
  stall: "verified",
  "500": "verified",
  "ignore-range": "verified",
  corrupt: "verify_failed",
  "404": "not_available",
  "disk-full": "disk_full",
};

/** A folder on a filesystem too small for the file: tmpfs if this process may mount, else a .part that is /dev/full. */
function smallDisk(root: string): { dir: string; release(): void } | null {
  const dir = join(root, "small");
  mkdirSync(dir, { recursive: true });
  if (Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir], { stderr: "ignore" }).exitCode === 0)
    return { dir, release: () => void Bun.spawnSync(["umount", dir]) };
  if (!existsSync("/dev/full")) return null;
  symlinkSync("/dev/full", join(dir, "file.bin.part"));
  return { dir, release: () => {} };
}

export async function downloadFaults(n: number): Promise<SuiteResult> {
  const root = mkdtempSync(join(tmpdir(), "ed-fault-r4-"));
  const data = crypto.getRandomValues(new Uint8Array(SIZE));
  const sha256 = new Bun.CryptoHasher("sha256").update(data).digest("hex");
  const server = serveAssets({ "file.bin": data });
  const problems: string[] = [];
  const tally: Record<string, number> = {};
  let unverifiedSeen = 0;
  try {
    for (let i = 0; i < n; i++) {
      const kind = KINDS[i % KINDS.length]!;
      const at = 1 + Math.floor(Math.random() * (SIZE - 2));
      const faults: Record<Kind, Fault | undefined> = {
        cut: { kind: "cut", at, times: 1 },
        reset: { kind: "cut", at, times: 1, abrupt: true },
        corrupt: { kind: "corrupt", at },
        "404": { kind: "status", status: 404 },
        "500": { kind: "status", status: 500, times: 2 },
        stall: { kind: "stall", at, times: 1 },
        "ignore-range": { kind: "ignore-range" },
        "disk-full": undefined,
      };
      server.fault = faults[kind];
      // A cut with Range ignored on the retry: resumed from 0, still verified.
      if (kind === "ignore-range") server.fault = { kind: "cut", at, times: 1 };
      const dir = join(root, `run-${i}`);
      let disk: ReturnType<typeof smallDisk> = null;
      if (kind === "disk-full") {
        disk = smallDisk(dir);
        if (!disk) continue;
      }
      const dest = join(disk?.dir ?? dir, "file.bin");
      let outcome: string;
      try {
        const r = await download({ url: server.url("file.bin"), dest, size: SIZE, sha256, retries: 4, backoffMs: 1, stallMs: 300 });
        outcome = r.sha256 === sha256 ? "verified" : "WRONG";
        if (kind === "ignore-range") server.fault = { kind: "ignore-range" };
      } catch (err) {
        outcome = err instanceof DownloadError ? err.code : `unexpected ${String(err)}`;
        if (err instanceof DownloadError && err.message.length < 15) problems.push(`run ${i} (${kind}): unclear message "${err.message}"`);
      }
      // The promise that matters most: whatever happened, a file under the final name is the verified file.
      if (existsSync(dest) && (await sha256File(dest)) !== sha256) unverifiedSeen++;
      if (outcome !== EXPECT[kind]) problems.push(`run ${i} (${kind} at ${at}): ${outcome}, expected ${EXPECT[kind]}`);
      tally[`${kind}→${outcome}`] = (tally[`${kind}→${outcome}`] ?? 0) + 1;
      disk?.release();
    }
  } finally {
    server.stop();
    rmSync(root, { recursive: true, force: true });
  }
  if (unverifiedSeen) problems.push(`${unverifiedSeen} unverified files under their final name`);
  const summary = Object.entries(tally).map(([k, v]) => `${k} ${v}`).join(", ");
  return result("R4", `download faults ×${n}: ${n - problems.length}/${n} as expected, ${unverifiedSeen} unverified files placed (${summary})`, problems);
}
