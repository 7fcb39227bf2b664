/**
 * This machine's names on the network: what a phone types or scans to reach
 * the app when other devices are allowed. Re-read every few seconds (a laptop
 * changes networks), never per request.
 */
import { hostname, networkInterfaces } from "node:os";

export interface LanAddresses {
  /** IPv4 addresses of the non-internal interfaces, most likely first (private ranges). */
  ips: string[];
  /** Every name a request may carry in Host: the IPs (IPv6 bracketed), the host name and its .local name. */
  names: string[];
}

const REFRESH_MS = 10_000;
let cached: { at: number; value: LanAddresses } | undefined;

/** Pure: the interfaces (as os.networkInterfaces() gives them) and host name → addresses. */
export function lanAddressesOf(interfaces: ReturnType<typeof networkInterfaces>, host: string): LanAddresses {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const i of list ?? []) {
      if (i.internal) continue;
      if (i.family === "IPv4") v4.push(i.address);
      else if (!i.address.toLowerCase().startsWith("fe80")) v6.push(i.address);
    }
  }
  const rank = (ip: string) => (/^(192\.168|10)\./.test(ip) ? 0 : /^172\.(1[6-9]|2\d|3[01])\./.test(ip) ? 1 : 2);
  v4.sort((a, b) => rank(a) - rank(b));
  const name = host.toLowerCase();
  return { ips: v4, names: [...v4, ...v6.map((a) => `[${a.toLowerCase()}]`), name, `${name}.local`] };
}

export function lanAddresses(now = Date.now()): LanAddresses {
  if (!cached || now - cached.at > REFRESH_MS) cached = { at: now, value: lanAddressesOf(networkInterfaces(), hostname()) };
  return cached.value;
}

/** Reads the interfaces again at the next call (a test that just made one, for example a network namespace's link). */
export function forgetLanAddresses(): void {
  cached = undefined;
}
