import { createRequire } from 'node:module';
import { compileMatcher, type Matcher } from './nedb-match.ts';
import type { Filter, SortSpec } from './types.ts';

type Row = Record<string, unknown>;

interface TreeNode {
  left: TreeNode | null;
  right: TreeNode | null;
  key?: unknown;
  data: Row[];
}

/** The parts of a nedb datastore the sorted top-k read relies on (nedb 4.x). */
export interface NedbInternals {
  executor: { pushAsync<R>(task: () => Promise<R>): Promise<R> };
  _getCandidatesAsync(query: Filter): Promise<Row[]>;
  _getRawCandidates?(query: Filter): Row[];
  indexes: Record<string, { tree?: { tree?: TreeNode }; getMatching?(value: unknown): Row[] }>;
  ttlIndexes: Record<string, number>;
  compareStrings?: unknown;
}

interface NedbModel {
  compareThings(a: unknown, b: unknown, compareStrings?: unknown): number;
  getDotValue(doc: Row, path: string): unknown;
}

const model = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as NedbModel;

/** True when this nedb build exposes what {@link sortedTopK} reads; otherwise the caller uses nedb's cursor. */
export function supportsTopK(db: unknown): db is NedbInternals {
  const d = db as Partial<NedbInternals>;
  return typeof d._getCandidatesAsync === 'function' && typeof d.executor?.pushAsync === 'function' && typeof d.indexes === 'object';
}

/**
 * The first `skip + limit` documents matching `query` in `sort` order, as nedb's cursor would
 * return them (ties keep candidate order, as its stable sort does), without sorting every match:
 * - sorted by `_id` alone with an equality on an indexed field: a walk of that index's documents
 *   for the value, kept in `_id` order between reads, from the query's `_id` bound, that stops
 *   once enough documents match (see {@link sortedCandidates});
 * - sorted by `_id` alone otherwise: an `_id`-ordered walk of the primary index that stops once
 *   enough documents match;
 * - else a bounded heap over the candidates.
 * When the sort includes `_id` (no ties), the candidates come from the most selective equality
 * index of the query rather than the last one nedb would take. Returns the stored documents
 * themselves (not copies), after `skip`.
 */
export function sortedTopK(db: NedbInternals, query: Filter, sort: SortSpec, limit: number, skip: number): Promise<Row[]> {
  return db.executor.pushAsync(async () => {
    const want = skip + limit;
    if (want <= 0) return [];
    const keys = Object.entries(sort);
    const matches = compileMatcher(query);
    const idOnly = keys.length === 1 && keys[0]![0] === '_id';
    const ttl = Object.keys(db.ttlIndexes ?? {}).length > 0;
    const walkable = idOnly && !ttl && db.compareStrings === undefined;
    // With `_id` among the sort keys (compared as nedb does by default) no two documents tie, so
    // any equality index gives the same page.
    const total = db.compareStrings === undefined && keys.some(([k]) => k === '_id');
    const narrowest = !ttl && total ? narrowestEquality(db, query) : undefined;
    if (walkable && narrowest) {
      const sorted = sortedCandidates(narrowest);
      if (sorted) return walkSorted(sorted, query, matches, keys[0]![1], want).slice(skip);
    }
    if (walkable && !narrowedByIndex(db, query)) {
      // nedb would scan every document; walking in order visits only as many as the page needs.
      const walked = walkById(db, query, matches, keys[0]![1], want, Number.POSITIVE_INFINITY);
      if (walked) return walked.slice(skip);
    }
    // Without TTL indexes the candidates need no expiry pass, so nedb's index pick is read directly.
    const candidates = narrowest ?? (!ttl && typeof db._getRawCandidates === 'function' ? db._getRawCandidates(query) : await db._getCandidatesAsync(query));
    if (walkable && candidates.length > Math.max(WALK_MIN_CANDIDATES, want * 8)) {
      // Visiting more documents than the candidates hold would cost more than the heap.
      const walked = walkById(db, query, matches, keys[0]![1], want, candidates.length);
      if (walked) return walked.slice(skip);
    }
    return heapTopK(db, candidates, matches, keys, want).slice(skip);
  });
}

/**
 * Whether nedb answers `query` from an equality, `$in` or compound index (as its candidate
 * selection does) rather than from every document or a range: a range may hold most documents.
 */
function narrowedByIndex(db: NedbInternals, query: Filter): boolean {
  const names = Object.keys(db.indexes);
  const equality = (v: unknown): boolean => v === null || v instanceof Date || ['string', 'number', 'boolean'].includes(typeof v);
  for (const [k, v] of Object.entries(query)) {
    if (!names.includes(k)) continue;
    if (equality(v) || (v !== null && typeof v === 'object' && '$in' in v)) return true;
  }
  return names.some((n) => n.includes(',') && n.split(',').every((part) => equality(query[part])));
}

/** A value nedb looks up in an index by equality (its `filterIndexNames`). */
const isEqualityValue = (v: unknown): boolean =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || Object.prototype.toString.call(v) === '[object Date]';

/**
 * The smallest of the document sets that the single-field indexes give for the query's
 * top-level equalities (the live array of the index, never to be changed), or undefined when the
 * query has none. Each is a superset of the matches, as the one nedb picks (the last) is.
 */
export function narrowestEquality(db: NedbInternals, query: Filter): readonly Row[] | undefined {
  let best: readonly Row[] | undefined;
  for (const k of Object.keys(query)) {
    const index = Object.hasOwn(db.indexes, k) ? db.indexes[k] : undefined;
    const v = query[k];
    if (!index || k.includes(',') || typeof index.getMatching !== 'function' || !isEqualityValue(v)) continue;
    const docs = index.getMatching(v);
    if (best === undefined || docs.length <= best.length) best = docs;
  }
  return best;
}

/** Sets of at most this many documents are kept in `_id` order between reads. */
const SORTED_MAX = 20_000;
/** Smaller sets are sorted on every read: cheaper than keeping them. */
const SORTED_KEEP_MIN = 16;

interface SortedSet {
  /** The index's array as it was when `byId` was built (or when it was last seen, before `byId`). */
  seen: Row[];
  byId: Row[] | undefined;
}

/** Keyed by the index's own array for a value; checked against it element by element on every read. */
const sortedSets = new WeakMap<readonly Row[], SortedSet>();

const byIdOrder = (a: Row, b: Row): number => model.compareThings(a._id, b._id);

/**
 * `docs` (an index's documents for one value) in `_id` order, or undefined when that is not worth
 * it now. nedb's index arrays keep insertion and update order, so the ordered copy is kept beside
 * the array and used while the array holds the same documents in the same order (nedb replaces a
 * document on update, so an updated document shows as a change). A set is sorted only once it has
 * been seen unchanged by two reads: a set written between every read is left to the heap.
 */
export function sortedCandidates(docs: readonly Row[]): Row[] | undefined {
  if (docs.length > SORTED_MAX) return undefined;
  if (docs.length < SORTED_KEEP_MIN) return docs.slice().sort(byIdOrder);
  const known = sortedSets.get(docs);
  if (known && sameDocs(known.seen, docs)) {
    known.byId ??= known.seen.slice().sort(byIdOrder);
    return known.byId;
  }
  sortedSets.set(docs, { seen: docs.slice(), byId: undefined });
  return undefined;
}

function sameDocs(a: readonly Row[], b: readonly Row[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** The first `want` documents of `sorted` (in `_id` order) matching, from the query's `_id` bound in `direction`. */
function walkSorted(sorted: readonly Row[], query: Filter, matches: Matcher, direction: 1 | -1, want: number): Row[] {
  const bound = idBound(query, direction);
  const out: Row[] = [];
  if (direction === 1) {
    // First position whose `_id` is at or after the bound.
    let lo = 0;
    if (bound !== undefined) {
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (model.compareThings(sorted[mid]!._id, bound) < 0) lo = mid + 1;
        else hi = mid;
      }
    }
    for (let i = lo; i < sorted.length && out.length < want; i += 1) if (matches(sorted[i]!)) out.push(sorted[i]!);
  } else {
    // Last position whose `_id` is at or before the bound.
    let hi = sorted.length;
    if (bound !== undefined) {
      let lo = 0;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (model.compareThings(sorted[mid]!._id, bound) <= 0) lo = mid + 1;
        else hi = mid;
      }
    }
    for (let i = hi - 1; i >= 0 && out.length < want; i -= 1) if (matches(sorted[i]!)) out.push(sorted[i]!);
  }
  return out;
}

/** Below this many candidates the heap is cheap enough that an `_id` walk is not worth trying. */
const WALK_MIN_CANDIDATES = 1000;

/**
 * Walks the primary index in `_id` order from the bound the query sets on `_id`, if any, and
 * stops at `want` matches. Returns null once it has visited `budget` documents without finishing:
 * the filter matches few documents spread over the range, and the candidate heap is cheaper.
 */
function walkById(db: NedbInternals, query: Filter, matches: Matcher, direction: 1 | -1, want: number, budget: number): Row[] | null {
  const root = db.indexes._id?.tree?.tree;
  if (!root || !('key' in root)) return null;
  const bound = idBound(query, direction);
  const out: Row[] = [];
  let visited = 0;
  // Iterative in-order traversal (reversed for descending), starting at the bound.
  const stack: TreeNode[] = [];
  const near = direction === 1 ? 'left' : 'right';
  const far = direction === 1 ? 'right' : 'left';
  const inRange = (key: unknown): boolean => {
    if (bound === undefined) return true;
    const c = model.compareThings(key, bound);
    return direction === 1 ? c >= 0 : c <= 0;
  };
  let node: TreeNode | null = root;
  while (node) {
    if (inRange(node.key)) {
      stack.push(node);
      node = node[near];
    } else {
      node = node[far];
    }
  }
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const doc of current.data) {
      visited += 1;
      if (matches(doc)) {
        out.push(doc);
        if (out.length >= want) return out;
      }
    }
    if (visited > budget) return null;
    node = current[far];
    while (node) {
      stack.push(node);
      node = node[near];
    }
  }
  return out;
}

/** The `_id` bound that starts a walk in `direction`: `$gt`/`$gte` ascending, `$lt`/`$lte` descending, at the top or in a top-level `$and`. */
function idBound(query: Filter, direction: 1 | -1): unknown {
  const ops = direction === 1 ? ['$gt', '$gte'] : ['$lt', '$lte'];
  const parts: Filter[] = [query, ...(Array.isArray(query.$and) ? (query.$and as Filter[]) : [])];
  let best: unknown;
  for (const part of parts) {
    const v = part?._id;
    if (v === null || typeof v !== 'object' || v instanceof Date) continue;
    for (const op of ops) {
      const b = (v as Record<string, unknown>)[op];
      if (b === undefined) continue;
      // The tightest bound wins: the largest lower bound, or the smallest upper bound.
      if (best === undefined || direction * model.compareThings(b, best) > 0) best = b;
    }
  }
  return best;
}

/** A max-heap of size `want` under the sort order (ties: earlier candidate first), then sorted. */
function heapTopK(db: NedbInternals, candidates: readonly Row[], matches: Matcher, keys: [string, 1 | -1][], want: number): Row[] {
  interface Entry {
    doc: Row;
    pos: number;
    values: unknown[];
  }
  const cmp = (a: Entry, b: Entry): number => {
    for (let i = 0; i < keys.length; i += 1) {
      const c = keys[i]![1] * model.compareThings(a.values[i], b.values[i], db.compareStrings);
      if (c !== 0) return c;
    }
    return a.pos - b.pos;
  };
  // nedb's getDotValue, without splitting a top-level name for every document.
  const getters = keys.map(([k]) => (k.includes('.') ? (doc: Row) => model.getDotValue(doc, k) : (doc: Row) => doc[k]));
  const heap: Entry[] = [];
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (cmp(heap[i]!, heap[p]!) <= 0) return;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && cmp(heap[l]!, heap[m]!) > 0) m = l;
      if (r < heap.length && cmp(heap[r]!, heap[m]!) > 0) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let pos = 0; pos < candidates.length; pos += 1) {
    const doc = candidates[pos]!;
    if (!matches(doc)) continue;
    const entry: Entry = { doc, pos, values: getters.map((get) => get(doc)) };
    if (heap.length < want) {
      heap.push(entry);
      up(heap.length - 1);
    } else if (cmp(entry, heap[0]!) < 0) {
      heap[0] = entry;
      down(0);
    }
  }
  return heap.sort(cmp).map((e) => e.doc);
}
