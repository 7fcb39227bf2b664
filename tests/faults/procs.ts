/** Processes seen through /proc (Linux): who runs which program, and whose child it is. */
import { readdirSync, readFileSync } from "node:fs";

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
