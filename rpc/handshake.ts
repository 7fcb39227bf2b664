/**
 * Our pairing handshake in front of a worker's RPC server (ggml's has no
 * authentication: docs/rpc.md at 97d2990, "does not currently support
 * authentication or encryption"). Per connection, challenge–response with
 * HMAC-SHA256 keyed by the pairing token, both ways, so the token itself never
 * crosses the network and neither side can replay an old answer:
 *   worker → `EDRPC 1 <nonceW>\n`
 *   client → `<mode> <nonceC> <HMAC(token, "client|mode|nonceW|nonceC")>\n`   (mode: relay | info)
 *   worker → `OK <HMAC(token, "worker|nonceW|nonceC")> <info JSON>\n`  or  `NO <reason>\n` and close.
 * After OK in relay mode the connection carries ggml RPC bytes; in info mode the worker closes.
 * Authenticated, not encrypted: anyone on the path can read the tensors.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";

export const GREETING = "EDRPC 1";
/** A handshake line is short; a peer sending more before a newline is not ours. */
export const MAX_LINE = 4096;
export type HandshakeMode = "relay" | "info";

/** A new pairing token: 256 random bits, URL-safe (43 characters). */
export const newPairingToken = () => randomBytes(32).toString("base64url");
export const isPairingToken = (t: string) => /^[A-Za-z0-9_-]{43}$/.test(t);

const nonce = () => randomBytes(32).toString("hex");
const mac = (token: string, text: string) => createHmac("sha256", token).update(text).digest("hex");

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The worker's first line and what it checks the answer against. */
export function challenge(): { line: string; nonce: string } {
  const n = nonce();
  return { line: `${GREETING} ${n}\n`, nonce: n };
}

/** Pure: the client's answer to a greeting, or null when the greeting is not ours. */
export function answer(greeting: string, token: string, mode: HandshakeMode): { line: string; nonceW: string; nonceC: string } | null {
  const m = /^EDRPC 1 ([0-9a-f]{64})$/.exec(greeting);
  if (!m) return null;
  const nonceC = nonce();
  return { line: `${mode} ${nonceC} ${mac(token, `client|${mode}|${m[1]}|${nonceC}`)}\n`, nonceW: m[1]!, nonceC };
}

/** Pure: the worker's check of the client's line → the mode and nonce, or null (wrong token or not ours). */
export function checkAnswer(line: string, token: string, nonceW: string): { mode: HandshakeMode; nonceC: string } | null {
  const m = /^(relay|info) ([0-9a-f]{64}) ([0-9a-f]{64})$/.exec(line);
  if (!m) return null;
  const mode = m[1] as HandshakeMode;
  return same(m[3]!, mac(token, `client|${mode}|${nonceW}|${m[2]}`)) ? { mode, nonceC: m[2]! } : null;
}

export const acceptLine = (token: string, nonceW: string, nonceC: string, info: unknown) =>
  `OK ${mac(token, `worker|${nonceW}|${nonceC}`)} ${JSON.stringify(info)}\n`;

/** Pure: the client's check of the worker's reply → its info, or the reason it is refused. */
export function checkAccept(line: string, token: string, nonceW: string, nonceC: string): { info: unknown } | { refused: string } {
  const no = /^NO (.*)$/.exec(line);
  if (no) return { refused: no[1]! };
  const m = /^OK ([0-9a-f]{64}) (.*)$/.exec(line);
  if (!m || !same(m[1]!, mac(token, `worker|${nonceW}|${nonceC}`))) return { refused: "the worker did not prove it knows the pairing token" };
  try {
    return { info: JSON.parse(m[2]!) };
  } catch {
    return { refused: "the worker's answer is not readable" };
  }
}

/**
 * Reads one line (without the newline) from a socket, at most MAX_LINE bytes and within timeoutMs; then
 * pauses the socket, so the bytes after it stay unread (given back as `rest`).
 */
export function readLine(sock: Socket, timeoutMs: number): Promise<{ line: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (err: Error | null, value?: { line: string; rest: Buffer }) => {
      clearTimeout(timer);
      sock.pause();
      sock.off("data", onData);
      sock.off("close", onClose);
      sock.off("error", onError);
      if (err) reject(err);
      else resolve(value!);
    };
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const nl = buf.indexOf(10);
      if (nl >= 0 && nl <= MAX_LINE) done(null, { line: buf.subarray(0, nl).toString("utf8"), rest: buf.subarray(nl + 1) });
      else if (nl > MAX_LINE || (nl < 0 && buf.length > MAX_LINE)) done(new Error("the handshake line is too long"));
    };
    const onClose = () => done(new Error("the connection closed during the handshake"));
    const onError = (e: Error) => done(e);
    const timer = setTimeout(() => done(new Error(`no handshake in ${timeoutMs / 1000} s`)), timeoutMs);
    sock.on("data", onData);
    sock.on("close", onClose);
    sock.on("error", onError);
    sock.resume();
  });
}
