import { describe, expect, it } from 'vitest';
import { createCompileCache, hashMapped } from '../../mappings/index.ts';
import type { MappingSpecInput } from '../../mappings/index.ts';

describe('hashMapped', () => {
  it('is independent of key order at every level', () => {
    const a = { fields: { summary: 'x', labels: ['a', 'b'], priority: { name: 'High', id: '2' } }, Amount: 10 };
    const b = { Amount: 10, fields: { priority: { id: '2', name: 'High' }, labels: ['a', 'b'], summary: 'x' } };
    expect(hashMapped(a)).toBe(hashMapped(b));
    expect(hashMapped(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any value, array order or type', () => {
    const base = hashMapped({ a: [1, 2], b: '1' });
    expect(hashMapped({ a: [2, 1], b: '1' })).not.toBe(base);
    expect(hashMapped({ a: [1, 2], b: 1 })).not.toBe(base);
    expect(hashMapped({ a: [1, 2], b: '1', c: null })).not.toBe(base);
  });

  it('follows JSON: undefined members vanish, dates hash as ISO text', () => {
    expect(hashMapped({ a: 1, b: undefined })).toBe(hashMapped({ a: 1 }));
    expect(hashMapped({ at: new Date('2025-01-01T00:00:00Z') })).toBe(hashMapped({ at: '2025-01-01T00:00:00.000Z' }));
  });
});

describe('createCompileCache', () => {
  const spec = (name: string): MappingSpecInput => ({
    connectionId: 'c1', name, hubObject: 'milestone', remoteObject: 'issue', direction: 'out',
    fields: [{ hub: 'title', remote: 'fields.summary' }],
  });

  it('compiles each version once, by id and version or by content', () => {
    const cache = createCompileCache({ max: 10 });
    const first = cache.compile(spec('a'), { key: { specId: 'm1', version: 1 } });
    expect(cache.compile(spec('a'), { key: { specId: 'm1', version: 1 } })).toBe(first);
    expect(cache.compile(spec('a'), { key: { specId: 'm1', version: 2 } })).not.toBe(first);
    const byContent = cache.compile(spec('b'));
    expect(cache.compile(structuredClone(spec('b')))).toBe(byContent);
    expect(cache.size).toBe(3);
  });

  it('evicts the least recently used entry', () => {
    const cache = createCompileCache({ max: 2 });
    const a = cache.compile(spec('a'));
    cache.compile(spec('b'));
    cache.compile(spec('a'));
    cache.compile(spec('c'));
    expect(cache.size).toBe(2);
    expect(cache.compile(spec('a'))).toBe(a);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('refuses a nonsensical size at creation', () => {
    expect(() => createCompileCache({ max: 0 })).toThrow(RangeError);
  });
});
