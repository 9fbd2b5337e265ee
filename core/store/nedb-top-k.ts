import { createRequire } from 'node:module';
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
  indexes: Record<string, { tree?: { tree?: TreeNode } }>;
  ttlIndexes: Record<string, number>;
  compareStrings?: unknown;
}

interface NedbModel {
  match(doc: Row, query: Filter): boolean;
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
 * an `_id`-ordered walk of the primary index that stops once enough documents match when the sort
 * is by `_id` alone, otherwise a bounded heap over the candidates. Returns the stored documents
 * themselves (not copies), after `skip`.
 */
export function sortedTopK(db: NedbInternals, query: Filter, sort: SortSpec, limit: number, skip: number): Promise<Row[]> {
  return db.executor.pushAsync(async () => {
    const want = skip + limit;
    if (want <= 0) return [];
    const keys = Object.entries(sort);
    const idOnly = keys.length === 1 && keys[0]![0] === '_id';
    const ttl = Object.keys(db.ttlIndexes ?? {}).length > 0;
    const walkable = idOnly && !ttl && db.compareStrings === undefined;
    if (walkable && !narrowedByIndex(db, query)) {
      // nedb would scan every document; walking in order visits only as many as the page needs.
      const walked = walkById(db, query, keys[0]![1], want, Number.POSITIVE_INFINITY);
      if (walked) return walked.slice(skip);
    }
    // Without TTL indexes the candidates need no expiry pass, so nedb's index pick is read directly.
    const candidates = !ttl && typeof db._getRawCandidates === 'function' ? db._getRawCandidates(query) : await db._getCandidatesAsync(query);
    if (walkable && candidates.length > Math.max(WALK_MIN_CANDIDATES, want * 8)) {
      // Visiting more documents than the candidates hold would cost more than the heap.
      const walked = walkById(db, query, keys[0]![1], want, candidates.length);
      if (walked) return walked.slice(skip);
    }
    return heapTopK(db, candidates, query, keys, want).slice(skip);
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

/** Below this many candidates the heap is cheap enough that an `_id` walk is not worth trying. */
const WALK_MIN_CANDIDATES = 1000;

/**
 * Walks the primary index in `_id` order from the bound the query sets on `_id`, if any, and
 * stops at `want` matches. Returns null once it has visited `budget` documents without finishing:
 * the filter matches few documents spread over the range, and the candidate heap is cheaper.
 */
function walkById(db: NedbInternals, query: Filter, direction: 1 | -1, want: number, budget: number): Row[] | null {
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
      if (model.match(doc, query)) {
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
function heapTopK(db: NedbInternals, candidates: readonly Row[], query: Filter, keys: [string, 1 | -1][], want: number): Row[] {
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
    if (!model.match(doc, query)) continue;
    const entry: Entry = { doc, pos, values: keys.map(([k]) => model.getDotValue(doc, k)) };
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
