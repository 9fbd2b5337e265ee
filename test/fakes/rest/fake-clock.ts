/** Stamps writes with strictly increasing instants, so "updated since" ordering is exact. */
export class FakeClock {
  private last = 0;
  constructor(private readonly source: () => Date) {}

  stamp(): Date {
    const ms = Math.max(this.source().getTime(), this.last + 1);
    this.last = ms;
    return new Date(ms);
  }
}
