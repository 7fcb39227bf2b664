/**
 * Which IP addresses a fetch made for someone else must not reach (issue 26):
 * this machine and the networks around it. Pure: an address in, the reason
 * it is refused (or null) out. IPv4 ranges per the IANA special-purpose
 * registry (RFC 6890 and successors); IPv6 addresses that embed an IPv4 one
 * (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) are judged by the IPv4 address inside.
 */
import { isIPv4, isIPv6 } from "node:net";

const V4_RANGES: [string, number, string][] = [
  ["0.0.0.0", 8, "“this network” (0.0.0.0/8)"],
  ["10.0.0.0", 8, "a private network (10.0.0.0/8)"],
  ["100.64.0.0", 10, "carrier-grade NAT (100.64.0.0/10)"],
  ["127.0.0.0", 8, "this computer (loopback)"],
  ["169.254.0.0", 16, "link-local (169.254.0.0/16)"],
  ["172.16.0.0", 12, "a private network (172.16.0.0/12)"],
  ["192.0.0.0", 24, "IETF protocol assignments (192.0.0.0/24)"],
  ["192.0.2.0", 24, "documentation (192.0.2.0/24)"],
  ["192.88.99.0", 24, "6to4 relay anycast (192.88.99.0/24)"],
  ["192.168.0.0", 16, "a private network (192.168.0.0/16)"],
  ["198.18.0.0", 15, "benchmarking (198.18.0.0/15)"],
  ["198.51.100.0", 24, "documentation (198.51.100.0/24)"],
  ["203.0.113.0", 24, "documentation (203.0.113.0/24)"],
  ["224.0.0.0", 4, "multicast (224.0.0.0/4)"],
  ["240.0.0.0", 4, "reserved (240.0.0.0/4, broadcast)"],
];

function v4Number(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Problem(ip: string): string | null {
  const n = v4Number(ip);
  for (const [base, bits, what] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    const start = v4Number(base);
    if (n >= start && n < start + size) return what;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail), or null. */
export function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase().split("%")[0]!; // a zone id (fe80::1%eth0) names an interface, not part of the address
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    if (!isIPv4(dotted[1]!)) return null;
    const n = v4Number(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const part = (s: string) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 0) return null;
  const groups = [...head, ...Array(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

const embeddedV4 = (g: number[], at: number) => `${g[at]! >> 8}.${g[at]! & 255}.${g[at + 1]! >> 8}.${g[at + 1]! & 255}`;

function v6Problem(ip: string): string | null {
  const g = ipv6Groups(ip);
  if (!g) return "not an IPv6 address";
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return "the unspecified address (::)";
  if (zeros(0, 7) && g[7] === 1) return "this computer (loopback ::1)";
  if (zeros(0, 5) && g[5] === 0xffff) return v4Problem(embeddedV4(g, 6)) && `an IPv4-mapped address of ${v4Problem(embeddedV4(g, 6))}`;
  if (zeros(0, 6)) return v4Problem(embeddedV4(g, 6)) ?? "an IPv4-compatible address (::/96, deprecated)";
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4Problem(embeddedV4(g, 6)) && `NAT64 of ${v4Problem(embeddedV4(g, 6))}`;
  if (g[0] === 0x2002) return v4Problem(embeddedV4(g, 1)) && `6to4 of ${v4Problem(embeddedV4(g, 1))}`;
  if ((g[0]! & 0xfe00) === 0xfc00) return "a unique-local network (fc00::/7)";
  if ((g[0]! & 0xffc0) === 0xfe80) return "link-local (fe80::/10)";
  if ((g[0]! & 0xffc0) === 0xfec0) return "site-local (fec0::/10)";
  if ((g[0]! & 0xff00) === 0xff00) return "multicast (ff00::/8)";
  if (g[0] === 0x2001 && g[1] === 0x0db8) return "documentation (2001:db8::/32)";
  if (g[0] === 0x0100 && zeros(1, 4)) return "discard-only (100::/64)";
  return null;
}

/**
 * Why a fetch for someone else must not go to this address (loopback,
 * private, link-local, unique-local, CGNAT, unspecified, multicast, reserved,
 * or an IPv6 form of one of them), or null when it is a public address.
 */
export function addressProblem(ip: string): string | null {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  if (isIPv4(bare)) return v4Problem(bare);
  if (isIPv6(bare.split("%")[0]!)) return v6Problem(bare);
  return "not an IP address";
}
