import { describe, expect, it } from 'vitest';
import { newId } from '../../core/store/index.ts';

describe('newId', () => {
  it('makes prefixed, time-ordered ids that never repeat, across refills of its random pool', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('ms'));
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^ms_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // The time part never goes backwards.
    const times = ids.map((id) => id.slice(3, 13));
    expect([...times].sort()).toEqual(times);
    // The random part uses the whole alphabet, so it is not stuck on a few values.
    expect(new Set(ids.flatMap((id) => [...id.slice(13)])).size).toBe(32);
    expect(newId()).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
  });
});
