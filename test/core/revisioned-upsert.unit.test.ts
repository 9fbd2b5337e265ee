import { describe, expect, it } from 'vitest';
import { revisionedUpsert, type RevisionedDoc } from '../../core/domain/index.ts';
import { createNedbStore, createStore, type Collection, type CollectionDef, type TenantStore } from '../../core/store/index.ts';
import { overtakenAfterRead } from '../helpers/overtaken-after-read.ts';

interface NoteDoc extends RevisionedDoc {
  key: string;
  text: string;
  tag?: string;
}

const notes: CollectionDef<NoteDoc> = { name: 'upsert_notes', scope: 'tenant', indexes: [{ fields: { tenantId: 1, key: 1 }, unique: true }] };

const tenant = (id: string): TenantStore => createStore(createNedbStore({ dir: '', inMemory: true })).forTenant(id);

const save = (col: Collection<NoteDoc>, text: string, expectedVersion?: number, tag?: string) =>
  revisionedUpsert({
    collection: col,
    filter: { key: 'a' },
    expectedVersion,
    create: () => ({ key: 'a', text, ...(tag !== undefined ? { tag } : {}) }),
    replace: (current) => ({ $set: { text, ...(tag !== undefined ? { tag } : {}) }, ...(tag === undefined && current.tag !== undefined ? { $unset: { tag: true as const } } : {}) }),
    subject: 'The note',
    createdVerb: 'written',
  });

describe('revisionedUpsert', () => {
  it('creates at revision 1, then replaces with revision + 1, applying the caller update as given', async () => {
    const col = tenant('tn_a').collection(notes);
    const created = await save(col, 'first', 0, 'draft');
    expect(created).toMatchObject({ ok: true, value: { key: 'a', text: 'first', tag: 'draft', revision: 1 } });
    const replaced = await save(col, 'second', 1);
    expect(replaced.ok).toBe(true);
    if (!replaced.ok) return;
    expect(replaced.value).toMatchObject({ key: 'a', text: 'second', revision: 2 });
    expect(replaced.value.tag).toBeUndefined();
    expect(await col.count({})).toBe(1);
    // Without expectedVersion the stored revision is not checked.
    expect(await save(col, 'third')).toMatchObject({ ok: true, value: { text: 'third', revision: 3 } });
  });

  it('refuses a stale expectedVersion with the stored revision (0 before any write) and writes nothing', async () => {
    const col = tenant('tn_b').collection(notes);
    expect(await save(col, 'x', 3)).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'The note is now at version 0; reload it and retry', currentVersion: 0 },
    });
    expect(await col.count({})).toBe(0);
    await save(col, 'first');
    expect(await save(col, 'x', 0)).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'The note is now at version 1; reload it and retry', currentVersion: 1 },
    });
    expect((await col.findOne({ key: 'a' }))?.text).toBe('first');
  });

  it('answers a concurrent first write (unique-index clash) with a conflict at version 1, keeping the other write', async () => {
    const db = tenant('tn_c');
    const col = db.collection(notes);
    const raced = overtakenAfterRead(db, () => save(col, 'theirs')).collection(notes);
    expect(await save(raced, 'mine')).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'The note was written meanwhile; reload it and retry', currentVersion: 1 },
    });
    expect(await col.find({})).toMatchObject([{ text: 'theirs', revision: 1 }]);
  });

  it('answers a change between read and replace with a conflict one past the version read', async () => {
    const db = tenant('tn_d');
    const col = db.collection(notes);
    await save(col, 'first');
    await save(col, 'second');
    const raced = overtakenAfterRead(db, () => save(col, 'theirs')).collection(notes);
    expect(await save(raced, 'mine', 2)).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'The note changed meanwhile; reload it and retry', currentVersion: 3 },
    });
    expect(await col.find({})).toMatchObject([{ text: 'theirs', revision: 3 }]);
  });

  it('lets store failures other than a duplicate key through', async () => {
    const col = tenant('tn_e').collection(notes);
    const broken = Object.assign(Object.create(col) as Collection<NoteDoc>, {
      insert: () => Promise.reject(new Error('disk full')),
    });
    await expect(save(broken, 'x')).rejects.toThrow('disk full');
  });
});
