import { createRequire } from 'node:module';
import { appendNewStatesThrough, createDatafileAppender, type DatafileAppender, type NedbPersistenceInternals } from './nedb-datafile-appender.ts';
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
    // A datastore in memory has no datafile to append to; only its cache and indexes are used.
    (d.inMemoryOnly === true || (typeof d.persistence?.filename === 'string' && typeof d.persistence.persistCachedDatabaseAsync === 'function'))
  );
}

const { compareThings, serialize } = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as {
  compareThings(a: unknown, b: unknown): number;
  serialize(doc: unknown): string;
};

interface IndexInternals {
  _fields?: unknown;
  treeOptions?: { compareKeys?: unknown };
  tree?: { tree?: TreeNode };
}
interface TreeNode {
  compareKeys?: unknown;
  left?: TreeNode | null;
  right?: TreeNode | null;
}

/**
 * nedb's `compareThings` for the keys of a compound index, `{ [field]: value }` with the index's
 * fields. nedb sorts both keys' field names on every comparison (two arrays and two sorts per
 * step down the tree, a dozen steps per inserted document); the fields are sorted once here.
 * The order is exactly nedb's: the same fields compared in the same order, and anything that is
 * not such a key goes to `compareThings` itself.
 */
export function compoundKeyComparator(fields: readonly string[]): (a: unknown, b: unknown) => number {
  const sorted = [...fields].sort();
  const names = new Set(fields);
  const isKey = (k: unknown): k is Row => {
    if (typeof k !== 'object' || k === null || Object.getPrototypeOf(k) !== Object.prototype) return false;
    let n = 0;
    for (const f in k) {
      if (!names.has(f)) return false;
      n += 1;
    }
    return n === sorted.length;
  };
  return (a, b) => {
    if (!isKey(a) || !isKey(b)) return compareThings(a, b);
    for (const f of sorted) {
      const c = compareThings(a[f], b[f]);
      if (c !== 0) return c;
    }
    return 0;
  };
}

// Gives the compound indexes of `db` the comparator above, for the tree built so far (every
// node keeps its own reference) and for trees built when the index is reset. Leaves anything
// shaped unlike nedb 4's indexes as it is.
function speedUpCompoundIndexes(db: unknown): void {
  const indexes = (db as { indexes?: Record<string, IndexInternals> }).indexes;
  if (typeof indexes !== 'object' || indexes === null) return;
  for (const index of Object.values(indexes)) {
    const fields = index._fields;
    if (!Array.isArray(fields) || fields.length < 2 || !fields.every((f) => typeof f === 'string')) continue;
    if (typeof index.treeOptions?.compareKeys !== 'function' || index.tree?.tree === undefined) continue;
    const compare = compoundKeyComparator(fields as string[]);
    index.treeOptions.compareKeys = compare;
    const stack: TreeNode[] = [index.tree.tree];
    while (stack.length > 0) {
      const node = stack.pop()!;
      node.compareKeys = compare;
      if (node.left) stack.push(node.left);
      if (node.right) stack.push(node.right);
    }
  }
}

// One appender per datastore, however many collections are bound to it.
const appenders = new WeakMap<NedbInsertInternals, DatafileAppender>();

function appenderOf(db: NedbInsertInternals): DatafileAppender {
  let appender = appenders.get(db);
  if (!appender) {
    appender = createDatafileAppender(db.persistence);
    appenders.set(db, appender);
    // Updates and removals append through the same open descriptor as group inserts.
    appendNewStatesThrough(db.persistence, appender, serialize);
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
  speedUpCompoundIndexes(db);

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
