/** A stored record: the fields as served, plus bookkeeping the styles render differently. */
export interface FakeRecord {
  id: string;
  updatedAt: Date;
  version: number;
  fields: Record<string, unknown>;
}

/** The fake's data: collections of records by id, in insertion order. */
export class RecordStore {
  private readonly collections = new Map<string, Map<string, FakeRecord>>();
  private counter = 0;

  collection(name: string): Map<string, FakeRecord> {
    let c = this.collections.get(name);
    if (c === undefined) {
      c = new Map();
      this.collections.set(name, c);
    }
    return c;
  }

  nextNumber(): number {
    this.counter += 1;
    return this.counter;
  }

  /** Records sorted by update time then id: the order every list answers in. */
  sorted(name: string): FakeRecord[] {
    return [...this.collection(name).values()].sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
