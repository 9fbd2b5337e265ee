import { describe, expect, it } from 'vitest';
import { createGroupCommit, LaneFullError } from '../../webhooks/group-commit.ts';

/** A `run` whose batches finish only when the test says so. */
function gated() {
  const batches: { key: string; items: number[]; finish: (fail?: Error) => void }[] = [];
  const run = (key: string, items: number[]) =>
    new Promise<{ ok: true; value: number }[]>((resolve, reject) => {
      batches.push({ key, items, finish: (fail) => (fail ? reject(fail) : resolve(items.map((n) => ({ ok: true, value: n * 10 })))) });
    });
  return { run, batches };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('batches what arrives in one turn, then what arrives while that batch is in flight', async () => {
    const { run, batches } = gated();
    const commit = createGroupCommit(run);
    const turn = [commit('a', 1), commit('a', 2)];
    // Nothing is sent before the turn ends, so the whole turn shares one batch.
    expect(batches).toHaveLength(0);
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1, 2]]);
    const rest = [commit('a', 3), commit('a', 4), commit('a', 5)];
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1, 2]]);
    batches[0]!.finish();
    expect(await Promise.all(turn)).toEqual([10, 20]);
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1, 2], [3, 4, 5]]);
    batches[1]!.finish();
    expect(await Promise.all(rest)).toEqual([30, 40, 50]);
  });

  it('keeps keys apart and caps batches and lanes', async () => {
    const { run, batches } = gated();
    const commit = createGroupCommit(run, { maxBatch: 2, maxPending: 3 });
    const a = [commit('a', 1), commit('a', 2), commit('a', 3)];
    const b = commit('b', 9);
    await expect(commit('a', 4)).rejects.toBeInstanceOf(LaneFullError);
    await tick();
    expect(batches.map((x) => [x.key, x.items])).toEqual([['a', [1, 2]], ['b', [9]]]);
    for (const x of batches) x.finish();
    await tick();
    expect(batches.map((x) => x.items)).toEqual([[1, 2], [9], [3]]);
    batches[2]!.finish();
    expect(await Promise.all([...a, b])).toEqual([10, 20, 30, 90]);
  });

  it('fails every item of a batch whose run throws, and carries on with the next', async () => {
    const { run, batches } = gated();
    const commit = createGroupCommit(run);
    const first = commit('a', 1);
    await tick();
    const second = [commit('a', 2), commit('a', 3)];
    batches[0]!.finish(new Error('store down'));
    await expect(first).rejects.toThrow('store down');
    await tick();
    batches[1]!.finish();
    expect(await Promise.all(second)).toEqual([20, 30]);
  });

  it('reports per-item outcomes', async () => {
    const commit = createGroupCommit<number, string>(async (_key, items) =>
      items.map((n) => (n % 2 ? { ok: true, value: `odd ${n}` } : { ok: false, error: new Error(`even ${n}`) })),
    );
    await expect(commit('k', 1)).resolves.toBe('odd 1');
    await expect(commit('k', 2)).rejects.toThrow('even 2');
  });

  it('runs up to maxInFlight batches of a key at once; what arrives beyond waits for the first to finish', async () => {
    const { run, batches } = gated();
    const commit = createGroupCommit(run, { maxInFlight: 2 });
    const first = commit('a', 1);
    await tick();
    const second = commit('a', 2);
    await tick();
    // The second batch did not wait for the first.
    expect(batches.map((b) => b.items)).toEqual([[1], [2]]);
    const waiting = [commit('a', 3), commit('a', 4)];
    await tick();
    expect(batches).toHaveLength(2);
    batches[1]!.finish();
    expect(await second).toBe(20);
    // The freed slot takes everything that waited, in one batch.
    expect(batches.map((b) => b.items)).toEqual([[1], [2], [3, 4]]);
    batches[0]!.finish();
    batches[2]!.finish();
    expect(await first).toBe(10);
    expect(await Promise.all(waiting)).toEqual([30, 40]);
    // An idle lane starts afresh.
    const later = commit('a', 5);
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2], [3, 4], [5]]);
    batches[3]!.finish();
    expect(await later).toBe(50);
  });

  it('checks its options when built', () => {
    expect(() => createGroupCommit(async () => [], { maxBatch: 0 })).toThrow(TypeError);
    expect(() => createGroupCommit(async () => [], { maxBatch: 10, maxPending: 5 })).toThrow(TypeError);
    expect(() => createGroupCommit(async () => [], { maxInFlight: 0 })).toThrow(TypeError);
    expect(() => createGroupCommit(async () => [], { maxInFlight: 1.5 })).toThrow(TypeError);
  });
});
