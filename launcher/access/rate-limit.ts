/**
 * Failed logins per address: after `max` wrong tokens within `windowMs`, that
 * address is refused (429, with when to try again) until the window has moved
 * on. Successes do not reset it: a guesser with one right answer needs none.
 */
export class FailureLimiter {
  #failures = new Map<string, number[]>();

  constructor(
    readonly max = 10,
    readonly windowMs = 5 * 60_000,
    readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `address` may try again, or 0 when it may now. */
  blockedFor(address: string): number {
    const recent = this.#recent(address);
    if (recent.length < this.max) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.max]! + this.windowMs - this.now()) / 1000));
  }

  fail(address: string): void {
    const recent = this.#recent(address);
    recent.push(this.now());
    this.#failures.set(address, recent.slice(-this.max));
    // Forget quiet addresses now and then, so a scan of many addresses cannot grow the map without end.
    if (this.#failures.size > 10_000) for (const a of this.#failures.keys()) if (!this.#recent(a).length) this.#failures.delete(a);
  }

  #recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.#failures.get(address) ?? []).filter((t) => t > since);
  }
}
