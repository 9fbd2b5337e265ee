import { describe, expect, it } from 'vitest';
import { escalationPoliciesCollection, getEscalationPolicy, saveEscalationPolicy } from '../../core/escalations/index.ts';
import { createNedbStore, createStore, type Filter, type TenantStore } from '../../core/store/index.ts';
import { overtakenAfterRead } from '../helpers/overtaken-after-read.ts';

const tenant = (id: string): TenantStore => createStore(createNedbStore({ dir: '', inMemory: true })).forTenant(id);

// With projectIds the first read is the clash check; the race is on the read of the policy itself.
const policyRead = (filter: Filter) => typeof filter.key === 'string';

const policy = (after: string) => ({ levels: [{ notify: ['owner'] }], triggers: [{ type: 'overdue', after }] });

describe('saveEscalationPolicy', () => {
  it('creates a policy at version 1 and replaces it one version higher, dropping the name and projects a replace leaves out', async () => {
    const db = tenant('tn_a');
    const created = await saveEscalationPolicy(db, 'key-accounts', { name: 'Key accounts', policy: policy('PT1H'), projectIds: ['prj_a'] }, { expectedVersion: 0 });
    expect(created).toMatchObject({ ok: true, value: { key: 'key-accounts', name: 'Key accounts', projectIds: ['prj_a'], version: 1, stored: true } });
    const replaced = await saveEscalationPolicy(db, 'key-accounts', { policy: policy('PT2H') }, { expectedVersion: 1 });
    expect(replaced).toEqual({
      ok: true,
      value: { key: 'key-accounts', policy: expect.objectContaining({ triggers: [{ type: 'overdue', after: 'PT2H' }] }) as unknown, version: 2, stored: true },
    });
    const stored = await db.collection(escalationPoliciesCollection).findOne({ key: 'key-accounts' });
    expect(stored).not.toHaveProperty('name');
    expect(stored).not.toHaveProperty('projectIds');
    expect(await saveEscalationPolicy(db, 'key-accounts', { name: 'Again', policy: policy('PT3H') })).toMatchObject({ ok: true, value: { name: 'Again', version: 3 } });
    expect(await db.collection(escalationPoliciesCollection).count({})).toBe(1);
  });

  it('refuses a stale If-Match with the version now stored, per key', async () => {
    const db = tenant('tn_b');
    expect(await saveEscalationPolicy(db, 'default', { policy: policy('PT1H') }, { expectedVersion: 2 })).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'This policy is now at version 0; reload it and retry', currentVersion: 0 },
    });
    await saveEscalationPolicy(db, 'default', { policy: policy('PT1H') });
    await saveEscalationPolicy(db, 'default', { policy: policy('PT2H') });
    expect(await saveEscalationPolicy(db, 'default', { policy: policy('PT3H') }, { expectedVersion: 1 })).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'This policy is now at version 2; reload it and retry', currentVersion: 2 },
    });
    // Another key has its own version.
    expect(await saveEscalationPolicy(db, 'other', { policy: policy('PT3H') }, { expectedVersion: 0 })).toMatchObject({ ok: true, value: { version: 1 } });
    expect(await getEscalationPolicy(db, 'default')).toMatchObject({ version: 2, policy: { triggers: [{ after: 'PT2H' }] } });
  });

  it('reports a save that lost the race to another create or replace of the same key as a version conflict', async () => {
    const first = tenant('tn_c');
    const lostCreate = await saveEscalationPolicy(
      overtakenAfterRead(first, () => saveEscalationPolicy(first, 'key-accounts', { policy: policy('PT1H') }), policyRead),
      'key-accounts',
      { policy: policy('PT2H'), projectIds: ['prj_a'] },
    );
    expect(lostCreate).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'This policy was created meanwhile; reload it and retry', currentVersion: 1 },
    });
    expect(await getEscalationPolicy(first, 'key-accounts')).toMatchObject({ version: 1, policy: { triggers: [{ after: 'PT1H' }] } });

    const later = tenant('tn_d');
    await saveEscalationPolicy(later, 'default', { policy: policy('PT1H') });
    const lostReplace = await saveEscalationPolicy(
      overtakenAfterRead(later, () => saveEscalationPolicy(later, 'default', { policy: policy('PT5H') }), policyRead),
      'default',
      { policy: policy('PT2H') },
      { expectedVersion: 1 },
    );
    expect(lostReplace).toEqual({
      ok: false,
      error: { code: 'version_conflict', message: 'This policy changed meanwhile; reload it and retry', currentVersion: 2 },
    });
    expect(await getEscalationPolicy(later, 'default')).toMatchObject({ version: 2, policy: { triggers: [{ after: 'PT5H' }] } });
  });

  it('refuses a project another policy covers, and projects on the default policy, before any version check', async () => {
    const db = tenant('tn_e');
    await saveEscalationPolicy(db, 'key-accounts', { policy: policy('PT1H'), projectIds: ['prj_a', 'prj_b'] });
    expect(await saveEscalationPolicy(db, 'other', { policy: policy('PT1H'), projectIds: ['prj_b', 'prj_c'] }, { expectedVersion: 5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid', issues: [{ path: 'projectIds', code: 'project_has_policy', message: "already covered by policy 'key-accounts': prj_b" }] },
    });
    expect(await saveEscalationPolicy(db, 'default', { policy: policy('PT1H'), projectIds: [] }, { expectedVersion: 5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid', issues: [{ path: 'projectIds', code: 'default_has_no_projects' }] },
    });
    expect(await db.collection(escalationPoliciesCollection).count({})).toBe(1);
  });
});
