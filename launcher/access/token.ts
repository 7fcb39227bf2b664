/**
 * The LAN access token: 256 random bits, made on first use and kept in the
 * data dir readable by the owner only. Regenerating it logs every device out:
 * browser sessions are derived from it, so the old cookies stop matching.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const SESSION_CONTEXT = "easy-diffusion session v1";

export class AccessToken {
  #token?: string;
  #session?: string;

  constructor(readonly file: string) {}

  /** The token, made and saved the first time it is asked for. */
  get value(): string {
    if (this.#token) return this.#token;
    if (existsSync(this.file)) {
      const saved = readFileSync(this.file, "utf8").trim();
      if (/^[A-Za-z0-9_-]{43}$/.test(saved)) return this.#set(saved);
    }
    return this.regenerate();
  }

  /** A new token; every device has to log in again. */
  regenerate(): string {
    const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
    return this.#set(token);
  }

  /** What a logged-in browser's cookie holds: derived from the token, never the token itself. */
  get session(): string {
    this.#session ??= new Bun.CryptoHasher("sha256", this.value).update(SESSION_CONTEXT).digest("base64url");
    return this.#session;
  }

  #set(token: string): string {
    this.#token = token;
    this.#session = undefined;
    return token;
  }
}

/** Compares secrets in constant time (length aside). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
