import { describe, expect, it } from 'vitest';
import { getProbePolicy, probePoliciesCollection, saveProbePolicy } from '../../core/probes/index.ts';
import { createNedbStore, createStore, type TenantStore } from '../../core/store/index.ts';
import { overtakenAfterRead } from '../helpers/overtaken-after-read.ts';

const tenant = (id: string): TenantStore => createStore(createNedbStore({ dir: '', inMemory: true })).forTenant(id);

const every = (normal: string) => ({ every: { critical: 'P1D', high: 'P2D', normal, low: 'P14D' } });

describe('saveProbePolicy', () => {
  it('stores the first save at version 1 and each replace one higher, in a single document', async () => {
    const db = tenant('tn_a');
    expect(await saveProbePolicy(db, every('P3D'), { expectedVersion: 0 })).toMatchObject({ ok: true, value: { policy: every('P3D'), version: 1, stored: true } });
    expect(await saveProbePolicy(db, every('P4D'), { expectedVersion: 1 })).toMatchObject({ ok: true, value: { policy: every('P4D'), version: 2, stored: true } });
    expect(await saveProbePolicy(db, every('P5D'))).toMatchObject({ ok: true, value: { version: 3 } });
    expect(await db.collection(probePoliciesCollection).count({})).toBe(1);
    expect(await getProbePolicy(db)).toMatchObject({ policy: every('P5D'), version: 3, stored: true });
  });

  it('refuses a stale If-Match with the version now stored, and keeps the stored policy', async () => {
    const db = tenant('tn_b');
    expect(await saveProbePolicy(db, every('P3D'), { expectedVersion: 1 })).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'The probe policy is now at version 0; reload it and retry', currentVersion: 0 },
    });
    await saveProbePolicy(db, every('P3D'));
    expect(await saveProbePolicy(db, every('P4D'), { expectedVersion: 0 })).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'The probe policy is now at version 1; reload it and retry', currentVersion: 1 },
    });
    expect((await getProbePolicy(db)).policy).toMatchObject(every('P3D'));
  });

  it('reports a save that lost the race to another first save or replace as a version conflict', async () => {
    const first = tenant('tn_c');
    expect(await saveProbePolicy(overtakenAfterRead(first, () => saveProbePolicy(first, every('P3D'))), every('P4D'))).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'The probe policy was saved meanwhile; reload it and retry', currentVersion: 1 },
    });
    expect(await getProbePolicy(first)).toMatchObject({ policy: every('P3D'), version: 1 });

    const later = tenant('tn_d');
    await saveProbePolicy(later, every('P3D'));
    expect(await saveProbePolicy(overtakenAfterRead(later, () => saveProbePolicy(later, every('P5D'))), every('P4D'), { expectedVersion: 1 })).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'The probe policy changed meanwhile; reload it and retry', currentVersion: 2 },
    });
    expect(await getProbePolicy(later)).toMatchObject({ policy: every('P5D'), version: 2 });
  });

  it('checks the policy before reading the stored one: an invalid or too frequent policy is refused whatever the version', async () => {
    const db = tenant('tn_e');
    const tooOften = await saveProbePolicy(db, every('PT30M'), { expectedVersion: 9 });
    expect(tooOften).toMatchObject({ ok: false, error: { code: 'invalid', issues: [{ path: 'policy.every.normal', code: 'too_often' }] } });
    expect(await saveProbePolicy(db, { overdue: 'daily' }, { expectedVersion: 9 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await db.collection(probePoliciesCollection).count({})).toBe(0);
  });
});
