import { describe, expect, it } from 'vitest';
import { activateMappingVersion, addMappingVersion, createMapping, deleteMapping, loadMapping, mappingVersionsCollection } from '../../core/mapping-store/index.ts';
import { createNedbStore, createStore, type TenantStore } from '../../core/store/index.ts';
import { createCompileCache, hashMapped, mappingSpecSchema } from '../../mappings/index.ts';
import { loadActiveSpec } from '../../queues/sync/active-mapping.ts';

describe('the mapping version a push applies', () => {
  const store = createStore(createNedbStore({ dir: '', inMemory: true }));
  const db = store.forTenant(`tn_active_${Date.now().toString(36)}`);
  const compile = createCompileCache({ max: 10 });
  let versionReads = 0;
  /** The tenant store, counting reads of mapping versions. */
  const counted: TenantStore = {
    tenantId: db.tenantId,
    collection(def) {
      const col = db.collection(def);
      if (def.name !== mappingVersionsCollection.name) return col;
      return new Proxy(col, {
        get(target, prop, receiver) {
          if (prop === 'findById') versionReads += 1;
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
    },
  };
  const spec = (remote: string) =>
    mappingSpecSchema.parse({ connectionId: 'cn_1', name: 'm', hubObject: 'milestone', remoteObject: 'issue', direction: 'out', fields: [{ hub: 'title', remote }] });

  it('reads a version once, follows an activation at once, and stops at a delete', async () => {
    const v1 = spec('fields.summary');
    const mapping = await createMapping(db, { connectionId: 'cn_1', name: 'm', hubObject: 'milestone', remoteObject: 'issue', direction: 'out' }, { spec: JSON.stringify(v1), specHash: hashMapped(v1) }, { now: new Date() });

    const first = await loadActiveSpec(counted, compile, mapping._id);
    expect(first?.version).toBe(1);
    expect(first?.spec.fields[0]?.remote).toBe('fields.summary');
    const again = await loadActiveSpec(counted, compile, mapping._id);
    expect(again?.version).toBe(1);
    // Versions never change once stored: the second job does not read it again.
    expect(versionReads).toBe(1);

    const v2 = spec('fields.description');
    const added = await addMappingVersion(db, (await loadMapping(db, mapping._id))!, { connectionId: 'cn_1', name: 'm', hubObject: 'milestone', remoteObject: 'issue', direction: 'out' }, { spec: JSON.stringify(v2), specHash: hashMapped(v2) }, { now: new Date() });
    expect(added?.number).toBe(2);
    const fixed = await loadActiveSpec(counted, compile, mapping._id);
    expect(fixed?.version).toBe(2);
    expect(fixed?.spec.fields[0]?.remote).toBe('fields.description');
    expect(versionReads).toBe(2);

    // A roll back to version 1 uses the version already read.
    const rolledBack = await activateMappingVersion(db, (await loadMapping(db, mapping._id))!, 1, { reason: 'rolled-back', now: new Date() });
    expect(rolledBack?.activeVersion).toBe(1);
    expect((await loadActiveSpec(counted, compile, mapping._id))?.spec.fields[0]?.remote).toBe('fields.summary');
    expect(versionReads).toBe(2);

    await deleteMapping(db, (await loadMapping(db, mapping._id))!, new Date());
    expect(await loadActiveSpec(counted, compile, mapping._id)).toBeNull();
  });
});
