/**
 * Time source for one fake. Tokens, audit timestamps and query cursors all read it, so a test can
 * move time forward and watch expiry and polling behave as they would over hours.
 */
export class FakeClock {
  #source: (() => Date) | undefined;
  #offsetMs = 0;

  now(): number {
    return (this.#source ? this.#source().getTime() : Date.now()) + this.#offsetMs;
  }

  /** Replaces the time source; `undefined` returns to the system clock. Any advance is kept. */
  set(source: (() => Date) | undefined): void {
    this.#source = source;
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}
