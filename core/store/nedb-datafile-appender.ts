import { closeSync, openSync, writeSync } from 'node:fs';

/** The parts of nedb's persistence that the appender watches (nedb 4). */
export interface NedbPersistenceInternals {
  filename: string;
  modes: { fileMode: number };
  persistCachedDatabaseAsync(): Promise<void>;
}

/** The parts of nedb's persistence that {@link appendNewStatesThrough} replaces and uses (nedb 4). */
interface NedbNewStateInternals extends NedbPersistenceInternals {
  inMemoryOnly: boolean;
  afterSerialization(line: string): string | Promise<string>;
  persistNewStateAsync(docs: readonly Record<string, unknown>[]): Promise<void>;
}

const routed = new WeakSet<object>();

/**
 * Makes nedb's own appends (updated and removed documents, index changes) go through `appender`
 * instead of `fs.promises.appendFile`, which opens, writes and closes the datafile through the
 * thread pool on every update. The lines are nedb's own (its serialisation and its
 * `afterSerialization` hook) and go to the file in the same order, inside nedb's executor; a
 * failed write rejects as before. Persistence shaped unlike nedb 4's is left as it is.
 */
export function appendNewStatesThrough(persistence: unknown, appender: DatafileAppender, serialize: (doc: Record<string, unknown>) => string): void {
  const p = persistence as Partial<NedbNewStateInternals> | null;
  if (p === null || typeof p !== 'object' || routed.has(p)) return;
  if (typeof p.persistNewStateAsync !== 'function' || typeof p.afterSerialization !== 'function' || p.inMemoryOnly !== false) return;
  const internals = p as NedbNewStateInternals;
  routed.add(internals);
  internals.persistNewStateAsync = async (docs) => {
    let text = '';
    for (const doc of docs) text += (await internals.afterSerialization(serialize(doc))) + '\n';
    if (text.length > 0) appender.append(text);
  };
}

/**
 * Writes all of `text` as UTF-8 at the end of `fd`. The string goes to the file as it is, without
 * a Buffer made for it first; only a short write (rare on a regular file) encodes the rest.
 */
export function writeAllSync(fd: number, text: string): void {
  const written = writeSync(fd, text, null, 'utf8');
  if (written >= Buffer.byteLength(text, 'utf8')) return;
  const rest = Buffer.from(text, 'utf8');
  for (let done = written; done < rest.byteLength; ) done += writeSync(fd, rest, done);
}

const unclosed = new FinalizationRegistry<{ fd: number | undefined }>((held) => {
  if (held.fd !== undefined) closeQuietly(held.fd);
});

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed, or the disk went away: nothing more to release.
  }
}

/**
 * Appends lines to a nedb datafile through a descriptor kept open between appends. An append is
 * a plain blocking write of what is usually a few kilobytes into the page cache: measured here,
 * several times cheaper than `fs.promises.appendFile`'s open, write and close through the thread
 * pool, and it finishes before the caller is told its documents are stored.
 *
 * nedb rewrites the datafile when it loads and compacts (a new file renamed over the old one), so
 * a descriptor opened before that would write into the replaced file. The appender counts those
 * rewrites (it wraps the persistence's own rewrite) and opens the file again after any of them.
 */
export interface DatafileAppender {
  /** Writes `text` at the end of the datafile; throws what the file system threw. */
  append(text: string): void;
  /** Releases the descriptor; the next append opens the file again. */
  close(): void;
}

export function createDatafileAppender(persistence: NedbPersistenceInternals): DatafileAppender {
  // Odd while a rewrite is under way, and changed by every rewrite, finished or failed.
  let rewrites = 0;
  const rewrite = persistence.persistCachedDatabaseAsync.bind(persistence);
  persistence.persistCachedDatabaseAsync = async () => {
    rewrites += 1;
    try {
      await rewrite();
    } finally {
      rewrites += 1;
    }
  };

  const held: { fd: number | undefined } = { fd: undefined };
  let openedAt = -1;
  const token = {};
  const close = (): void => {
    if (held.fd === undefined) return;
    closeQuietly(held.fd);
    held.fd = undefined;
    unclosed.unregister(token);
  };

  return {
    append(text) {
      if (held.fd === undefined || openedAt !== rewrites) {
        close();
        held.fd = openSync(persistence.filename, 'a', persistence.modes.fileMode);
        openedAt = rewrites;
        unclosed.register(token, held, token);
      }
      try {
        writeAllSync(held.fd, text);
      } catch (err) {
        close();
        throw err;
      }
    },
    close,
  };
}
