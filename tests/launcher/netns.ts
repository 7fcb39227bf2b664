/**
 * A phone on its own network: a network namespace joined to this machine by
 * a veth pair on a /30 of its own, so requests from it reach the app from a
 * real non-loopback address. Needs root and iproute2 (CI has both);
 * `make()` answers false where a namespace cannot be made.
 */
import { writeFileSync } from "node:fs";
import { assertChromium, CHROMIUM } from "../kit/needs";
import { join } from "node:path";
import { forgetLanAddresses } from "../../launcher/access/addresses";

const sh = (...argv: string[]) => Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });

export class PhoneNamespace {
  readonly id = Math.floor(Math.random() * 60000).toString(36);
  readonly ns = `ed-lan-${this.id}`;
  readonly hostIf = `edh${this.id}`;
  readonly nsIf = `edn${this.id}`;
  readonly net = 1 + Math.floor(Math.random() * 250);
  /** This machine's address as the phone sees it. */
  readonly hostIp = `10.213.${this.net}.1`;
  /** The phone's address. */
  readonly phoneIp = `10.213.${this.net}.2`;

  make(): boolean {
    if (process.platform !== "linux" || !Bun.which("ip") || !Bun.which("curl")) return false;
    const steps = [
      ["ip", "netns", "add", this.ns],
      ["ip", "link", "add", this.hostIf, "type", "veth", "peer", "name", this.nsIf],
      ["ip", "link", "set", this.nsIf, "netns", this.ns],
      ["ip", "addr", "add", `${this.hostIp}/30`, "dev", this.hostIf],
      ["ip", "link", "set", this.hostIf, "up"],
      ["ip", "netns", "exec", this.ns, "ip", "addr", "add", `${this.phoneIp}/30`, "dev", this.nsIf],
      ["ip", "netns", "exec", this.ns, "ip", "link", "set", this.nsIf, "up"],
    ];
    for (const s of steps) if (sh(...s).exitCode !== 0) return (this.remove(), false);
    // The app re-reads this machine's addresses every few seconds: now, so the new link's address is one of them.
    forgetLanAddresses();
    return true;
  }

  remove() {
    sh("ip", "link", "del", this.hostIf);
    sh("ip", "netns", "del", this.ns);
  }

  /** curl from the phone: [status, body]; status 0 when it could not connect. Async: the server runs in this process. */
  async curl(url: string, args: string[] = [], stdin?: string): Promise<[number, string]> {
    const proc = Bun.spawn(["ip", "netns", "exec", this.ns, "curl", "-s", "-m", "5", "-w", "\n%{http_code}", ...args, url], { stdin: stdin === undefined ? "ignore" : new Blob([stdin]), stdout: "pipe", stderr: "ignore" });
    const out = await new Response(proc.stdout).text();
    const cut = out.lastIndexOf("\n");
    return [Number(out.slice(cut + 1)) || 0, out.slice(0, cut)];
  }

  /** A script playwright runs as its "executable": Debian's Chromium inside the phone's namespace. */
  chromiumWrapper(dir: string): string {
    assertChromium();
    const wrapper = join(dir, "phone-chromium");
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${this.ns} ${CHROMIUM} "$@"\n`, { mode: 0o755 });
    return wrapper;
  }
}
