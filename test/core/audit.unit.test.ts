import { describe, expect, it } from 'vitest';
import { canonicalJson, chainEntry, computeEntryHash, fieldDiff, GENESIS_HASH, verifyChain } from '../../core/audit/index.ts';

function buildChain(count: number) {
  const entries = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < count; i++) {
    const entry = chainEntry(
      { id: `a${i}`, tenantId: 't1', action: 'milestone.updated', at: new Date(Date.UTC(2025, 0, 1, 0, i)), changes: [{ path: 'amountPaise', from: i, to: i + 1 }] },
      prev,
    );
    entries.push(entry);
    prev = entry.hash;
  }
  return entries;
}

describe('hash chain', () => {
  it('links each entry to the one before and verifies', () => {
    const entries = buildChain(5);
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    expect(entries[3]?.prevHash).toBe(entries[2]?.hash);
    expect(entries[4]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyChain(entries, { expectedHeadHash: entries[4]?.hash })).toEqual({ ok: true, value: { count: 5, headHash: entries[4]?.hash } });
  });

  it('hashes sha256(prevHash + canonical entry without hash)', async () => {
    const { createHash } = await import('node:crypto');
    const [entry] = buildChain(1);
    const { hash: _hash, ...body } = entry as NonNullable<typeof entry>;
    const expected = createHash('sha256').update(GENESIS_HASH + canonicalJson(body)).digest('hex');
    expect(entry?.hash).toBe(expected);
    expect(computeEntryHash(body)).toBe(expected);
  });

  it('catches an entry edited in place', () => {
    const entries = buildChain(5);
    entries[2] = { ...(entries[2] as (typeof entries)[number]), action: 'milestone.deleted' };
    expect(verifyChain(entries)).toMatchObject({ ok: false, error: { code: 'hash_mismatch', index: 2, id: 'a2' } });
  });

  it('catches a nested edit, a changed date and a re-hashed edit', () => {
    const nested = buildChain(3);
    (nested[1]?.changes[0] as { to: number }).to = 999;
    expect(verifyChain(nested)).toMatchObject({ ok: false, error: { code: 'hash_mismatch', index: 1 } });

    const redated = buildChain(3);
    (redated[1] as { at: Date }).at = new Date(Date.UTC(2024, 11, 31));
    expect(verifyChain(redated)).toMatchObject({ ok: false, error: { code: 'hash_mismatch', index: 1 } });

    // Recomputing the edited entry's own hash only moves the break to the next link.
    const rehashed = buildChain(4);
    const forged = chainEntry({ ...(rehashed[1] as (typeof rehashed)[number]), action: 'milestone.deleted' }, rehashed[1]?.prevHash as string);
    rehashed[1] = forged;
    expect(verifyChain(rehashed)).toMatchObject({ ok: false, error: { code: 'prev_link_mismatch', index: 2, id: 'a2' } });
  });

  it('catches a removed entry', () => {
    const entries = buildChain(5);
    entries.splice(2, 1);
    expect(verifyChain(entries)).toMatchObject({
      ok: false,
      error: { code: 'prev_link_mismatch', index: 2, id: 'a3', expected: entries[1]?.hash },
    });
  });

  it('catches reordered entries', () => {
    const entries = buildChain(4);
    [entries[1], entries[2]] = [entries[2] as (typeof entries)[number], entries[1] as (typeof entries)[number]];
    expect(verifyChain(entries)).toMatchObject({ ok: false, error: { code: 'prev_link_mismatch', index: 1, id: 'a2' } });
  });

  it('catches removal of the newest entries only against a stored head', () => {
    const entries = buildChain(5);
    const head = entries[4]?.hash as string;
    const truncated = entries.slice(0, 3);
    expect(verifyChain(truncated).ok).toBe(true);
    expect(verifyChain(truncated, { expectedHeadHash: head })).toMatchObject({ ok: false, error: { code: 'head_mismatch', index: 3 } });
  });

  it('verifies a slice from a known starting hash', () => {
    const entries = buildChain(6);
    expect(verifyChain(entries.slice(3), { startHash: entries[2]?.hash as string }).ok).toBe(true);
    expect(verifyChain(entries.slice(3))).toMatchObject({ ok: false, error: { code: 'prev_link_mismatch', index: 0 } });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes Dates as ISO strings', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: new Date(Date.UTC(2025, 0, 2)) } })).toBe(
      '{"a":{"c":"2025-01-02T00:00:00.000Z","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('is the same whatever order keys were inserted in', () => {
    expect(canonicalJson({ x: 1, y: { p: true, q: null } })).toBe(canonicalJson({ y: { q: null, p: true }, x: 1 }));
  });

  it('drops undefined properties and nulls undefined array items, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite.*n/);
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson({ tags: new Set(['a']) })).toThrow(/Map or Set at 'tags'/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/cycle at 'self'/);
    expect(() => canonicalJson({ a: [{ ok: 1 }, { b: Number.POSITIVE_INFINITY }] })).toThrow(/at 'a\[1\]\.b'/);
    expect(() => canonicalJson([1, () => 1])).toThrow(/at '\[1\]'/);
    expect(() => canonicalJson(Number.NaN)).toThrow(/at '\$'/);
  });

  it('writes the same text whatever the key order or repetition, with escaped keys', () => {
    const a = { 'quo"te': [1, { z: 'é', 'a\nb': true }], when: new Date(Date.UTC(2026, 2, 3)) };
    const b = { when: new Date(Date.UTC(2026, 2, 3)), 'quo"te': [1, { 'a\nb': true, z: 'é' }] };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    // Keys already in code-unit order, so plain JSON.stringify gives the canonical text.
    expect(canonicalJson(a)).toBe(JSON.stringify({ 'quo"te': [1, { 'a\nb': true, z: 'é' }], when: '2026-03-03T00:00:00.000Z' }));
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    expect(canonicalJson({ x: shared, y: shared })).toBe('{"x":{"a":1},"y":{"a":1}}');
  });
});

describe('fieldDiff', () => {
  it('lists changed, added and removed fields by path, ignoring bookkeeping', () => {
    const before = {
      title: 'Slab casting',
      amountPaise: 50_000_00,
      customFields: { siteArea: 120, zone: 'north' },
      tags: ['civil'],
      version: 3,
      updatedAt: new Date('2025-01-01T00:00:00Z'),
      outbox: [{ id: 'e1' }],
    };
    const after = {
      title: 'Slab casting',
      amountPaise: 55_000_00,
      customFields: { siteArea: 125, floors: 2 },
      tags: ['civil', 'urgent'],
      version: 4,
      updatedAt: new Date('2025-01-02T00:00:00Z'),
      outbox: [],
    };
    expect(fieldDiff(before, after)).toEqual([
      { path: 'amountPaise', from: 50_000_00, to: 55_000_00 },
      { path: 'customFields.floors', from: undefined, to: 2 },
      { path: 'customFields.siteArea', from: 120, to: 125 },
      { path: 'customFields.zone', from: 'north', to: undefined },
      { path: 'tags', from: ['civil'], to: ['civil', 'urgent'] },
    ]);
  });

  it('takes its own ignore list, nested paths included', () => {
    const before = { version: 1, customFields: { a: 1, b: 1 } };
    const after = { version: 2, customFields: { a: 2, b: 2 } };
    expect(fieldDiff(before, after, { ignore: ['customFields.b'] })).toEqual([
      { path: 'customFields.a', from: 1, to: 2 },
      { path: 'version', from: 1, to: 2 },
    ]);
  });

  it('compares Dates and arrays by value', () => {
    expect(fieldDiff({ due: new Date('2025-01-01T00:00:00Z'), tags: ['a'] }, { due: new Date('2025-01-01T00:00:00Z'), tags: ['a'] })).toEqual([]);
    expect(fieldDiff({ due: new Date('2025-01-01T00:00:00Z') }, { due: new Date('2025-01-02T00:00:00Z') })).toHaveLength(1);
  });

  it('reports an object replaced by a scalar as one change', () => {
    expect(fieldDiff({ address: { city: 'Pune' } }, { address: null })).toEqual([{ path: 'address', from: { city: 'Pune' }, to: null }]);
  });
});
