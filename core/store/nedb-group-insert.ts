import { createDatafileAppender, type DatafileAppender, type NedbPersistenceInternals } from './nedb-datafile-appender.ts';
import { datafileEntry, type DatafileEntry } from './nedb-datafile-entry.ts';

type Row = Record<string, unknown>;

/** The parts of a nedb Datastore that group insert uses (nedb 4; checked by {@link supportsGroupInsert}). */
export interface NedbInsertInternals {
  inMemoryOnly: boolean;
  executor: { pushAsync<R>(task: () => Promise<R>): Promise<R> };
  persistence: NedbPersistenceInternals;
  _insertMultipleDocsInCache(docs: Row[]): void;
  _removeFromIndexes(doc: Row): void;
  _createNewId(): string;
}

export function supportsGroupInsert(db: unknown): db is NedbInsertInternals {
  const d = db as Partial<NedbInsertInternals>;
  return (
    typeof d._insertMultipleDocsInCache === 'function' &&
    typeof d._removeFromIndexes === 'function' &&
    typeof d._createNewId === 'function' &&
    typeof d.executor?.pushAsync === 'function' &&
    typeof d.persistence?.filename === 'string' &&
    typeof d.persistence.persistCachedDatabaseAsync === 'function'
  );
}

// One appender per datastore, however many collections are bound to it.
const appenders = new WeakMap<NedbInsertInternals, DatafileAppender>();

function appenderOf(db: NedbInsertInternals): DatafileAppender {
  let appender = appenders.get(db);
  if (!appender) {
    appender = createDatafileAppender(db.persistence);
    appenders.set(db, appender);
  }
  return appender;
}

/** Releases the datafile descriptor group inserts keep open; call when the datastore closes. */
export function releaseDatafile(db: unknown): void {
  if (typeof db === 'object' && db !== null) appenders.get(db as NedbInsertInternals)?.close();
}

interface Call {
  docs: readonly Row[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Inserts with group commit: calls that arrive while a commit is under way are committed together
 * in the next one, with one append to the datafile for all of them (nedb-datafile-appender.ts).
 * Each call still stands alone: its documents go in all or none (a unique violation refuses that
 * call only), and it resolves only once its lines are in the datafile. When the append fails, every document of the commit
 * leaves memory again and every call of it is refused, so nothing is acknowledged or readable
 * that the datafile does not hold. Runs in nedb's executor like nedb's own insert, and inside
 * `exclusive`, the collection's chain of compound writes. Errors are nedb's, for the caller to map.
 */
export function createGroupInsert(db: NedbInsertInternals, exclusive: (fn: () => Promise<void>) => Promise<void>): (docs: readonly Row[]) => Promise<void> {
  let waiting: Call[] = [];
  let scheduled = false;
  const appender = db.inMemoryOnly ? undefined : appenderOf(db);

  const entryOf = (doc: Row): DatafileEntry => datafileEntry(doc._id === undefined ? { ...doc, _id: db._createNewId() } : doc);

  async function commit(): Promise<void> {
    const calls = waiting;
    waiting = [];
    scheduled = false;
    const refused = new Map<Call, unknown>();
    try {
      await db.executor.pushAsync(async () => {
        const inMemory: Row[] = [];
        const lines: string[] = [];
        for (const call of calls) {
          let entries: DatafileEntry[];
          try {
            entries = call.docs.map(entryOf);
            db._insertMultipleDocsInCache(entries.map((e) => e.copy));
          } catch (err) {
            refused.set(call, err);
            continue;
          }
          for (const e of entries) {
            inMemory.push(e.copy);
            lines.push(e.line);
          }
        }
        if (!appender || lines.length === 0) return;
        try {
          appender.append(lines.join('\n') + '\n');
        } catch (err) {
          for (const doc of inMemory) db._removeFromIndexes(doc);
          for (const call of calls) if (!refused.has(call)) refused.set(call, err);
        }
      });
    } catch (err) {
      for (const call of calls) if (!refused.has(call)) refused.set(call, err);
    }
    for (const call of calls) {
      if (refused.has(call)) call.reject(refused.get(call));
      else call.resolve();
    }
  }

  return function insert(docs) {
    if (docs.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      waiting.push({ docs, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        void exclusive(commit);
      }
    });
  };
}
