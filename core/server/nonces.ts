/**
 * One-time confirmations: the page asks the server for a nonce when the user
 * confirms an action, and the action is accepted only with it, once, within
 * `ttlMs`. A request header a script can set proves nothing; a value only the
 * owner's page could have read does. At most `max` are outstanding (the
 * oldest is dropped), so asking repeatedly cannot grow memory.
 */
export class OneTimeNonces {
  #issued = new Map<string, number>();

  constructor(
    readonly ttlMs = 2 * 60_000,
    readonly max = 16,
    readonly now: () => number = Date.now,
  ) {}

  issue(): { nonce: string; expires_in_s: number } {
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
    this.#issued.set(nonce, this.now() + this.ttlMs);
    while (this.#issued.size > this.max) this.#issued.delete(this.#issued.keys().next().value!);
    return { nonce, expires_in_s: Math.round(this.ttlMs / 1000) };
  }

  /** True once for a nonce issued less than ttlMs ago; it is spent either way. */
  take(nonce: string | undefined): boolean {
    if (!nonce) return false;
    const until = this.#issued.get(nonce);
    this.#issued.delete(nonce);
    return until !== undefined && this.now() <= until;
  }
}
