/** Processes seen through /proc (Linux): who runs which program, and whose child it is; and the app started as a child. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
}

export function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // Field 4 (ppid) comes after the command name in parentheses, which may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      // A zombie has no command line: it is dead, only not yet reaped.
      if (cmdline) out.push({ pid: Number(name), ppid, cmdline });
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

/** Live processes whose command line mentions `text` (e.g. an engine build's folder). */
export function running(text: string): Proc[] {
  return processes().filter((p) => p.cmdline.includes(text) && p.pid !== process.pid);
}

/** Starts the real app (`launcher/main.ts --server`) on `data` as a child; resolves with it and its URL once it says where it runs (its stdout kept drained). */
export async function startServerChild(data: string, port = 20000 + Math.floor(Math.random() * 20000)): Promise<{ proc: ReturnType<typeof Bun.spawn>; base: string }> {
  const proc = Bun.spawn(["bun", join(import.meta.dir, "..", "..", "launcher", "main.ts"), "--server", "--no-open", "--data-dir", data, "--port", String(port)], { stdout: "pipe", stderr: "ignore" });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let banner = "";
  while (!/running at (\S+)/.test(banner)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the app did not start: ${banner}`);
    banner += new TextDecoder().decode(value);
  }
  void (async () => {
    for (;;) if ((await reader.read()).done) break; // keep its stdout drained
  })();
  return { proc, base: /running at (\S+)/.exec(banner)![1]! };
}
