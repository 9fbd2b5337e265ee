import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNedbStore, createStore, type BaseDoc, type CollectionDef } from '../../core/store/index.ts';
import { storeContract } from './store-contract.ts';

const root = mkdtempSync(join(tmpdir(), 'hub-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

storeContract('embedded (nedb)', async (name) => createStore(createNedbStore({ dir: join(root, name) })));

describe('embedded store persistence', () => {
  interface Note extends BaseDoc {
    text: string;
  }
  const notes: CollectionDef<Note> = { name: 'notes', scope: 'tenant', indexes: [{ fields: { text: 1 }, unique: true }] };

  it('reads back what it wrote after a restart, and keeps unique indexes', async () => {
    const dir = join(root, 'persist');
    const first = createStore(createNedbStore({ dir }));
    const c1 = first.forTenant('t1').collection(notes);
    const doc = await c1.insert({ text: 'kept' });
    await c1.updateOne({ _id: doc._id }, { $set: { text: 'kept-2' } });
    await first.close();

    const second = createStore(createNedbStore({ dir }));
    const c2 = second.forTenant('t1').collection(notes);
    const read = await c2.findById(doc._id);
    expect(read).toMatchObject({ text: 'kept-2', version: 2, tenantId: 't1' });
    expect(read?.createdAt).toBeInstanceOf(Date);
    await expect(c2.insert({ text: 'kept-2' })).rejects.toThrow(/duplicate/);
    await second.close();
  });
});
