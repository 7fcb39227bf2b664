/**
 * Other computers for the workers tests: each an Easy Diffusion (worker-child.ts,
 * a real process on the stand-in engine) in a network namespace of its own
 * joined to this machine by a veth pair (tests/launcher/netns.ts), its own
 * data folder and model files, other devices allowed. Needs root and iproute2.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { PhoneNamespace } from "../launcher/netns";
import { standin } from "../queue/harness";
import type { StandinConfig } from "../standin/config";

const CHILD = join(import.meta.dir, "worker-child.ts");

/** A model file: its kind folder, name, and a tag making its bytes (and so its sha256) its own. */
export interface ModelFile {
  kind: string;
  name: string;
  bytes: string;
}

/** Writes a tiny SD 1.x checkpoint whose bytes depend on `bytes` only (same tag, same sha256, whatever the name). */
export function writeModel(root: string, f: ModelFile): void {
  mkdirSync(join(root, "models", f.kind), { recursive: true });
  writeSafetensors(join(root, "models", f.kind, f.name), TELLTALES.sd1!, { made_for: f.bytes });
}

export class OtherComputer {
  readonly ns = new PhoneNamespace();
  readonly dir = mkdtempSync(join(tmpdir(), "ed-worker-"));
  proc?: ReturnType<typeof Bun.spawn>;
  /** The login link its Settings → Other devices shows. */
  link = "";

  /** Its namespace; false where none can be made (not root, no iproute2). */
  make(): boolean {
    if (!this.ns.make()) return false;
    return Bun.spawnSync(["ip", "netns", "exec", this.ns.ns, "ip", "link", "set", "lo", "up"]).exitCode === 0;
  }

  /** Starts it with these model files; resolves once it printed its login link. */
  async start(models: ModelFile[], engine: Partial<StandinConfig> = {}, config = ""): Promise<void> {
    for (const m of models) writeModel(this.dir, m);
    // No Civitai here: its lookups go to a closed port.
    const civitai = "models:\n  civitai_base: http://127.0.0.1:9\n";
    writeFileSync(join(this.dir, "config.yaml"), `server:\n  allow_lan: true\nui:\n  open_window: false\n${config || civitai}`);
    const build = standin(this.dir, engine);
    this.proc = Bun.spawn(["ip", "netns", "exec", this.ns.ns, "bun", CHILD, this.dir, build.serverPath, build.dir], { stdout: "pipe", stderr: "pipe" });
    const reader = (this.proc.stdout as ReadableStream<Uint8Array>).getReader();
    let out = "";
    while (!/LINK (\S+)\n/.test(out)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the worker did not start: ${out} ${await new Response(this.proc.stderr as ReadableStream).text()}`);
      out += new TextDecoder().decode(value);
    }
    reader.releaseLock();
    this.link = /LINK (\S+)\n/.exec(out)![1]!;
  }

  /** Its address as this machine reaches it. */
  get origin(): string {
    return new URL(this.link).origin;
  }

  /** Gone at once, as a computer switched off: the app and its engine (the whole namespace's processes). */
  kill(): void {
    for (const pid of Bun.spawnSync(["ip", "netns", "pids", this.ns.ns]).stdout.toString().split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Gone already.
      }
    }
  }

  remove(): void {
    this.kill();
    this.ns.remove();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
