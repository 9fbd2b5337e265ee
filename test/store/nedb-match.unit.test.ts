import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../../core/store/nedb-match.ts';

// The compiled filters of the embedded store's read path must decide exactly as nedb's own
// `model.match`, which they stand in for.

type Row = Record<string, unknown>;
const model = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as { match(doc: Row, query: Row): boolean };

let seed = 11;
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const D1 = new Date(Date.UTC(2025, 0, 1));
const D2 = new Date(Date.UTC(2025, 5, 1));
const SCALARS: unknown[] = ['a', 'b', '', 'B', 0, 1, 2, -1, true, false, null, D1, new Date(D1.getTime()), D2, Number.NaN];
const value = (depth = 0): unknown => {
  const r = rand();
  if (r < 0.55 || depth > 1) return pick(SCALARS);
  if (r < 0.85) return Array.from({ length: Math.floor(rand() * 3) }, () => value(depth + 1));
  return { x: pick(SCALARS), y: value(depth + 1) };
};
const doc = (): Row => {
  const d: Row = { _id: `d${Math.floor(rand() * 1e6)}` };
  for (const f of ['f', 'g', 'h']) if (rand() < 0.8) d[f] = value();
  if (rand() < 0.1) d.u = undefined;
  return d;
};
const condition = (): unknown => {
  const v = pick(SCALARS);
  switch (Math.floor(rand() * 16)) {
    case 0:
      return { $in: [pick(SCALARS), pick(SCALARS), pick(SCALARS)] };
    case 1:
      return { $nin: [pick(SCALARS), pick(SCALARS)] };
    case 2:
      return { $ne: v };
    case 3:
      return { $exists: pick([true, false, 0, 1, '', null]) };
    case 4:
      return { [pick(['$lt', '$lte', '$gt', '$gte'])]: v };
    case 5:
      return { $gt: pick(SCALARS), $lt: pick(SCALARS) };
    case 6:
      return pick([/^a/, /b/i]);
    case 7:
      return { $regex: /a|1/ };
    case 8:
      return { $size: pick([0, 1, 2]) };
    case 9:
      return { $elemMatch: { $gt: 0 } };
    case 10:
      return [pick(SCALARS)];
    case 11:
      return { x: pick(SCALARS), y: pick(SCALARS) };
    case 12:
      return { $in: 'not an array' };
    case 13:
      return { $gt: 1, plain: 2 };
    default:
      return v;
  }
};
const query = (depth = 0): Row => {
  const q: Row = {};
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i += 1) {
    const r = rand();
    if (r < 0.12 && depth < 2) q[pick(['$and', '$or'])] = [query(depth + 1), query(depth + 1)];
    else if (r < 0.16 && depth < 2) q.$not = query(depth + 1);
    else if (r < 0.2) q['g.x'] = condition();
    else if (r < 0.22) q.$where = function (this: Row) { return this.f === 'a'; };
    else q[pick(['f', 'g', 'h', 'u', 'missing'])] = condition();
  }
  return q;
};
const outcome = (fn: () => boolean): string => {
  try {
    return String(fn());
  } catch (err) {
    return `throws ${(err as Error).message}`;
  }
};

describe('compiled filters of the embedded store', () => {
  it('decide every document as nedb does, errors included', () => {
    const docs = Array.from({ length: 150 }, doc);
    let agreed = 0;
    const seen = new Set<string>();
    for (let i = 0; i < 600; i += 1) {
      const q = query();
      const compiled = compileMatcher(q);
      for (const d of docs) {
        const expected = outcome(() => model.match(d, q));
        expect(outcome(() => compiled(d)), `${JSON.stringify(q)} on ${JSON.stringify(d)}`).toBe(expected);
        seen.add(expected.startsWith('throws') ? 'throws' : expected);
        agreed += 1;
      }
    }
    expect(agreed).toBe(600 * 150);
    // The random filters exercised matches, misses and nedb's errors alike.
    expect([...seen].sort()).toEqual(['false', 'throws', 'true']);
  });

  it('unrolls arrays at any depth and treats empty arrays as nedb does', () => {
    const d = { f: [['a', ['b']], []], g: [], h: [D1] };
    expect(compileMatcher({ f: 'b' })(d)).toBe(true);
    expect(compileMatcher({ g: { $exists: false } })(d)).toBe(model.match(d, { g: { $exists: false } }));
    expect(compileMatcher({ g: { $exists: true } })(d)).toBe(model.match(d, { g: { $exists: true } }));
    expect(compileMatcher({ h: new Date(D1.getTime()) })(d)).toBe(true);
    expect(compileMatcher({ h: { $in: [D2, new Date(D1.getTime())] } })(d)).toBe(true);
    expect(compileMatcher({ f: { $nin: ['zzz'] } })(d)).toBe(model.match(d, { f: { $nin: ['zzz'] } }));
    expect(compileMatcher({})(d)).toBe(true);
  });
});
