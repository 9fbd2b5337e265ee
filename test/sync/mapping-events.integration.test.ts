import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mappingsCollection } from '../../core/mapping-store/index.ts';
import { createNedbStore, createStore } from '../../core/store/index.ts';
import { relayMappingEvents } from '../../queues/sync/mapping-events.ts';
import type { SyncRuntime } from '../../queues/sync/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'hub-mapping-events-'));
const store = createStore(createNedbStore({ dir }));
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('relaying mapping events', () => {
  it('ends when a full page holds only events it cannot move, instead of reading that page forever', async () => {
    const added: unknown[] = [];
    const queue = { addBulk: async (jobs: unknown[]) => void added.push(...jobs), add: async (...job: unknown[]) => void added.push(job) };
    const rt = { store, queues: { get: () => queue }, options: { attempts: 1, backoffMs: 1 } } as unknown as SyncRuntime;
    // Mapping documents whose tenant is unknown: their events have nowhere to go and stay put.
    const raw = store.maintenance(mappingsCollection);
    for (let i = 0; i < 4; i += 1) {
      await raw.insert({ _id: `map_orphan_${i}`, outbox: [{ id: `evt_${i}`, type: 'mapping.activated', mappingId: `map_orphan_${i}`, connectionId: 'conn_x' }] } as never);
    }
    const result = await relayMappingEvents(rt, { batchSize: 2 });
    expect(result).toEqual({ events: 0 });
    expect(added).toEqual([]);
    expect(await raw.count({ 'outbox.0': { $exists: true } })).toBe(4);
  });
});
