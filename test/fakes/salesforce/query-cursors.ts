import type { FakeClock } from '../shared/index.ts';
import { SalesforceError } from './salesforce-error.ts';
import type { IdMinter } from './salesforce-ids.ts';

interface Cursor {
  owner: string;
  records: Array<Record<string, unknown>>;
  totalSize: number;
  batchSize: number;
  lastUsed: number;
}

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

const IDLE_LIMIT_MS = 15 * 60_000;
const OPEN_CURSORS_PER_USER = 10;

/**
 * Server-side query cursors. Results are fixed when the query runs; the locator
 * (`01g...-2000`) names the cursor and the offset of the next batch. As on Salesforce, a cursor
 * dies after 15 idle minutes and a user keeps at most ten open, losing the oldest.
 */
export class QueryCursors {
  readonly #cursors = new Map<string, Cursor>();
  readonly #clock: FakeClock;
  readonly #ids: IdMinter;

  constructor({ clock, ids }: { clock: FakeClock; ids: IdMinter }) {
    this.#clock = clock;
    this.#ids = ids;
  }

  firstPage(
    { owner, records, totalSize, batchSize }: { owner: string; records: Array<Record<string, unknown>>; totalSize: number; batchSize: number },
    version: string,
  ): QueryPage {
    if (records.length <= batchSize) return { totalSize, done: true, records };
    const locator = this.#ids.random('01g');
    this.#cursors.set(locator, { owner, records, totalSize, batchSize, lastUsed: this.#clock.now() });
    this.#evictOldest(owner);
    return this.#page(locator, 0, version);
  }

  nextPage(locatorText: string, version: string): QueryPage {
    const m = /^([A-Za-z0-9]{15,18})-(\d+)$/.exec(locatorText);
    const cursor = m ? this.#cursors.get(m[1]!) : undefined;
    if (!m || !cursor || this.#clock.now() - cursor.lastUsed > IDLE_LIMIT_MS) {
      if (m) this.#cursors.delete(m[1]!);
      throw new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    cursor.lastUsed = this.#clock.now();
    return this.#page(m[1]!, Number(m[2]), version);
  }

  #page(locator: string, offset: number, version: string): QueryPage {
    const cursor = this.#cursors.get(locator)!;
    const records = cursor.records.slice(offset, offset + cursor.batchSize);
    const next = offset + cursor.batchSize;
    if (next >= cursor.records.length) {
      this.#cursors.delete(locator);
      return { totalSize: cursor.totalSize, done: true, records };
    }
    return {
      totalSize: cursor.totalSize,
      done: false,
      nextRecordsUrl: `/services/data/v${version}/query/${locator}-${next}`,
      records,
    };
  }

  #evictOldest(owner: string): void {
    const mine = [...this.#cursors.entries()].filter(([, c]) => c.owner === owner);
    if (mine.length <= OPEN_CURSORS_PER_USER) return;
    mine.sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    this.#cursors.delete(mine[0]![0]);
  }
}
