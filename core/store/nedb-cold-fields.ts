import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { writeAllSync } from './nedb-datafile-appender.ts';
import { datafileLine } from './nedb-datafile-entry.ts';
import { StoreMisuseError } from './errors.ts';
import type { Filter, FindOptions, RawCollection, Update } from './types.ts';

type Row = Record<string, unknown>;

const { deserialize } = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as { deserialize(line: string): Row };

/** The parts of a nedb Datastore the cold file uses (nedb 4; checked by {@link coldFileOf}). */
interface NedbColdInternals {
  getAllData(): Row[];
  indexes: { _id: { getMatching(value: unknown): Row[] } };
  executor: { pushAsync<R>(task: () => Promise<R>): Promise<R> };
  on(event: 'compaction.done', listener: () => void): unknown;
  removeListener(event: 'compaction.done', listener: () => void): unknown;
}

function supportsColdFile(db: unknown): db is NedbColdInternals {
  const d = db as Partial<NedbColdInternals> | null;
  return typeof d?.getAllData === 'function' && typeof d.indexes?._id?.getMatching === 'function' && typeof d.on === 'function' && typeof d.removeListener === 'function' && typeof d.executor?.pushAsync === 'function';
}

/** Where one document's cold fields are in the cold file. */
interface Slot {
  pos: number;
  len: number;
}

/**
 * The cold fields of one collection's documents, on disk beside its datafile (`<datafile>.cold`).
 * Each line is the JSON of the document id, a tab, and the datafile serialisation of the
 * document's cold fields; memory keeps only where each line is. Appends are plain blocking writes
 * of a few kilobytes, done before the documents are stored, so a stored document always finds its
 * cold fields; a line whose document was never stored (a refused insert, a crash in between) is
 * skipped on loading and dropped at compaction. The file is rewritten with the live lines only
 * when the datastore compacts and more than half of it is dead.
 */
export interface ColdFile {
  readonly fields: ReadonlySet<string>;
  /** Appends the cold fields of `docs` (which must have string ids); returns how to undo it when their insert fails. */
  append(docs: readonly Row[]): { commit(): void; abort(): void };
  /** The stored cold fields of `id`, or undefined when none are held. */
  read(id: string): Row | undefined;
  close(): void;
}

const files = new WeakMap<object, Promise<ColdFile>>();

/**
 * The cold file of `db` (at `<datafile>.cold`), one per datastore. It is opened in the
 * datastore's executor, so after the datafile has loaded however early it is asked for.
 * Undefined when this nedb lacks what the file relies on: the fields then stay in memory.
 */
export function coldFileOf(db: unknown, datafile: string, fields: readonly string[]): Promise<ColdFile> | undefined {
  if (!supportsColdFile(db)) return undefined;
  let file = files.get(db);
  if (!file) {
    file = db.executor.pushAsync(async () => openColdFile(db, `${datafile}.cold`, fields));
    files.set(db, file);
  }
  return file;
}

/** Releases the descriptors of `db`'s cold file, if it has one; call when the datastore closes. */
export async function releaseColdFile(db: unknown): Promise<void> {
  if (typeof db !== 'object' || db === null) return;
  const file = files.get(db);
  files.delete(db);
  (await file?.catch(() => undefined))?.close();
}

function openColdFile(db: NedbColdInternals, path: string, fieldList: readonly string[]): ColdFile {
  const fields = new Set(fieldList);
  // Where each stored document's line is. Slot objects move in place when the file is rewritten.
  const slots = new Map<string, Slot>();
  // Lines appended for inserts that have not finished yet, by slot: a compaction keeps and moves them too.
  const pending = new Map<Slot, string>();
  let size = load(path, slots, new Set(db.getAllData().map((d) => d._id as string)));
  let writeFd: number | undefined = openSync(path, 'a');
  let readFd: number | undefined = openSync(path, 'r');
  let liveBytes = 0;
  for (const s of slots.values()) liveBytes += s.len;
  const held = (id: string): boolean => db.indexes._id.getMatching(id).length > 0;

  const write = (text: string): void => {
    if (writeFd === undefined) writeFd = openSync(path, 'a');
    try {
      writeAllSync(writeFd, text);
    } catch (err) {
      // Take back a partial line, so that the next one starts where `size` says.
      try {
        ftruncateSync(writeFd, size);
      } catch {
        size = fstatSync(writeFd).size;
      }
      close();
      throw err;
    }
  };

  const onCompaction = (): void => {
    // Runs inside the datastore's executor once it rewrote its datafile from memory.
    const live = new Set(db.getAllData().map((d) => d._id as string));
    for (const id of pending.values()) live.add(id);
    liveBytes = 0;
    for (const [id, s] of slots) {
      if (live.has(id)) liveBytes += s.len;
      else slots.delete(id);
    }
    if (size <= 64 * 1024 || size < 2 * liveBytes) return;
    readFd ??= openSync(path, 'r');
    size = rewrite(path, new Set([...slots.values(), ...pending.keys()]), readFd, size);
    // Reopened on next use: after a rewrite the old descriptors point at the replaced file.
    close();
  };
  db.on('compaction.done', onCompaction);

  function close(): void {
    if (writeFd !== undefined) closeSync(writeFd);
    if (readFd !== undefined) closeSync(readFd);
    writeFd = undefined;
    readFd = undefined;
  }

  return {
    fields,
    append(docs) {
      const placed: { id: string; slot: Slot }[] = [];
      const chunks: string[] = [];
      let at = size;
      for (const doc of docs) {
        const cold: Row = {};
        for (const f of fields) if (doc[f] !== undefined) cold[f] = doc[f];
        const id = doc._id as string;
        const line = `${JSON.stringify(id)}\t${datafileLine(cold)}\n`;
        const len = Buffer.byteLength(line, 'utf8');
        chunks.push(line);
        placed.push({ id, slot: { pos: at, len } });
        at += len;
      }
      write(chunks.join(''));
      size = at;
      for (const p of placed) {
        pending.set(p.slot, p.id);
        // A document may be read as soon as the datastore holds it, before its insert returns: its
        // fields are readable at once. A document the datastore already holds under this id (its
        // insert will be refused) keeps its own fields unless this insert succeeds.
        if (!held(p.id)) slots.set(p.id, p.slot);
      }
      return {
        commit() {
          for (const p of placed) {
            pending.delete(p.slot);
            const before = slots.get(p.id);
            if (before !== undefined && before !== p.slot) liveBytes -= before.len;
            if (before !== p.slot) slots.set(p.id, p.slot);
            liveBytes += p.slot.len;
          }
        },
        abort() {
          for (const p of placed) {
            pending.delete(p.slot);
            if (slots.get(p.id) === p.slot) slots.delete(p.id);
          }
        },
      };
    },
    read(id) {
      const slot = slots.get(id);
      if (!slot) return undefined;
      if (readFd === undefined) readFd = openSync(path, 'r');
      const buf = Buffer.allocUnsafe(slot.len);
      for (let done = 0; done < slot.len; ) {
        const n = readSync(readFd, buf, done, slot.len - done, slot.pos + done);
        if (n === 0) throw new Error(`the cold file ${path} ends inside the fields of ${id}`);
        done += n;
      }
      const line = buf.toString('utf8');
      return deserialize(line.slice(line.indexOf('\t') + 1, -1));
    },
    close() {
      db.removeListener('compaction.done', onCompaction);
      close();
    },
  };
}

/** Reads the slots of the ids in `live` (the last line of an id wins); cuts off a torn last line. Returns the file size. */
function load(path: string, slots: Map<string, Slot>, live: ReadonlySet<string>): number {
  if (!existsSync(path)) return 0;
  const bytes = readFileSync(path);
  let start = 0;
  for (let nl = bytes.indexOf(10, start); nl >= 0; nl = bytes.indexOf(10, start)) {
    const tab = bytes.indexOf(9, start);
    if (tab > start && tab < nl) {
      try {
        const id = JSON.parse(bytes.toString('utf8', start, tab)) as unknown;
        if (typeof id === 'string' && live.has(id)) slots.set(id, { pos: start, len: nl + 1 - start });
      } catch {
        // A damaged line names no document: skip it.
      }
    }
    start = nl + 1;
  }
  if (start < bytes.byteLength) {
    // The last append did not finish (a crash mid-write): its document was never acknowledged.
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, start);
    } finally {
      closeSync(fd);
    }
  }
  return start;
}

/**
 * Copies the lines of `keep` to a new file, renames it over the old one and moves the slots to
 * their new places; returns the new size. When it fails the old file and the slots stand as they
 * were, and `size` is returned.
 */
function rewrite(path: string, keep: ReadonlySet<Slot>, readFd: number, size: number): number {
  const tmp = `${path}~`;
  let out: number | undefined;
  try {
    out = openSync(tmp, 'w');
    const buf = Buffer.allocUnsafe(Math.min(size, 1 << 20));
    const moved = new Map<Slot, number>();
    let at = 0;
    for (const s of keep) {
      const line = s.len <= buf.byteLength ? buf : Buffer.allocUnsafe(s.len);
      for (let done = 0; done < s.len; ) {
        const n = readSync(readFd, line, done, s.len - done, s.pos + done);
        if (n === 0) throw new Error(`${path} ends before a line it should hold`);
        done += n;
      }
      for (let done = 0; done < s.len; ) done += writeSync(out, line, done, s.len - done);
      moved.set(s, at);
      at += s.len;
    }
    closeSync(out);
    out = undefined;
    renameSync(tmp, path);
    for (const [s, pos] of moved) s.pos = pos;
    return at;
  } catch {
    if (out !== undefined) closeSync(out);
    if (existsSync(tmp)) unlinkSync(tmp);
    return size;
  }
}

/**
 * A collection whose `fieldList` live in the cold file `opened` rather than in its documents in memory: inserts
 * move them out, reads put them back (those a projection asks for). Filters, sorts, updates and
 * pipelines may not name them; the embedded store could not answer those from memory.
 */
export function withColdFields(inner: RawCollection, opened: Promise<ColdFile>, fieldList: readonly string[]): RawCollection {
  const fields = new Set(fieldList);
  const isCold = (path: string): boolean => {
    const dot = path.indexOf('.');
    return fields.has(dot < 0 ? path : path.slice(0, dot));
  };
  const refuse = (what: string): never => {
    throw new StoreMisuseError(`${inner.name}: ${what} may not name ${[...fields].join(', ')}, which the embedded store keeps on disk`);
  };
  const checkFilter = (filter: unknown): void => {
    if (Array.isArray(filter)) {
      for (const f of filter) checkFilter(f);
      return;
    }
    if (typeof filter !== 'object' || filter === null) return;
    for (const [k, v] of Object.entries(filter)) {
      if (k === '$and' || k === '$or' || k === '$nor' || k === '$not') checkFilter(v);
      else if (!k.startsWith('$') && isCold(k)) refuse('a filter');
    }
  };
  const checkUpdate = (update: Update): void => {
    for (const fieldsOf of Object.values(update)) {
      if (fieldsOf && Object.keys(fieldsOf as object).some(isCold)) refuse('an update');
    }
  };

  /** Which cold fields a projection keeps, and the projection to ask the datastore for (one that keeps `_id`). */
  const plan = (projection: FindOptions['projection']): { want: string[]; projection: FindOptions['projection']; dropId: boolean } => {
    const keys = projection ? Object.keys(projection) : [];
    if (!projection || keys.length === 0) return { want: [...fields], projection, dropId: false };
    if (keys.some((k) => k.includes('.') && isCold(k))) refuse('a projection');
    const inclusive = keys.some((k) => projection[k] === 1);
    const want = inclusive ? [...fields].filter((f) => projection[f] === 1) : [...fields].filter((f) => projection[f] !== 0);
    if (want.length === 0 || projection._id !== 0) return { want, projection, dropId: false };
    // The id finds the cold fields: ask for it, and leave it out of the answer.
    const { _id: _omit, ...rest } = projection;
    if (inclusive) return { want, projection: { ...rest, _id: 1 }, dropId: true };
    return { want, projection: Object.keys(rest).length > 0 ? rest : undefined, dropId: true };
  };

  const attach = (file: ColdFile, row: Row | null, want: readonly string[], dropId: boolean): Row | null => {
    if (!row) return row;
    if (want.length > 0 && typeof row._id === 'string' && want.some((f) => row[f] === undefined)) {
      const cold = file.read(row._id);
      if (cold) for (const f of want) if (row[f] === undefined && cold[f] !== undefined) row[f] = cold[f];
    }
    if (dropId) delete row._id;
    return row;
  };

  const readOptions = (options: FindOptions | undefined): { options: FindOptions | undefined; want: string[]; dropId: boolean } => {
    if (options?.sort && Object.keys(options.sort).some(isCold)) refuse('a sort');
    const p = plan(options?.projection);
    if (!options || p.projection === options.projection) return { options, want: p.want, dropId: p.dropId };
    const { projection: _old, ...rest } = options;
    return { options: p.projection ? { ...rest, projection: p.projection } : rest, want: p.want, dropId: p.dropId };
  };

  return {
    name: inner.name,
    async insertMany(docs) {
      const outs: Row[] = [];
      const held: Row[] = [];
      for (const doc of docs) {
        if (typeof doc._id !== 'string' || !Object.keys(doc).some((k) => fields.has(k))) {
          outs.push(doc);
          continue;
        }
        const hot: Row = {};
        for (const k of Object.keys(doc)) if (!fields.has(k)) hot[k] = doc[k];
        outs.push(hot);
        held.push(doc);
      }
      const appended = held.length > 0 ? (await opened).append(held) : undefined;
      try {
        await inner.insertMany(outs);
      } catch (err) {
        appended?.abort();
        throw err;
      }
      appended?.commit();
    },
    async findOne(filter, options) {
      checkFilter(filter);
      const r = readOptions(options);
      const row = await inner.findOne(filter, r.options);
      return attach(await opened, row, r.want, r.dropId);
    },
    async find(filter, options) {
      checkFilter(filter);
      const r = readOptions(options);
      const rows = await inner.find(filter, r.options);
      const file = await opened;
      for (const row of rows) attach(file, row, r.want, r.dropId);
      return rows;
    },
    count(filter: Filter) {
      checkFilter(filter);
      return inner.count(filter);
    },
    async findOneAndUpdate(filter, update, options) {
      checkFilter(filter);
      checkUpdate(update);
      const row = await inner.findOneAndUpdate(filter, update, options);
      // An update never changes them: read them back only for a caller that wants the document.
      return options.coldFields === false ? row : attach(await opened, row, [...fields], false);
    },
    updateMany(filter, update) {
      checkFilter(filter);
      checkUpdate(update);
      return inner.updateMany(filter, update);
    },
    deleteOne(filter) {
      checkFilter(filter);
      return inner.deleteOne(filter);
    },
    deleteMany(filter) {
      checkFilter(filter);
      return inner.deleteMany(filter);
    },
    aggregate(pipeline) {
      const text = JSON.stringify(pipeline);
      for (const f of fields) if (text.includes(`"${f}`) || text.includes(`"$${f}`)) refuse('a pipeline');
      return inner.aggregate(pipeline);
    },
  };
}
