import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceFake, type SalesforceFake } from '../fakes/salesforce/index.ts';
import { createMilestone, createProject, expectStatus, syncFixture, waitFor, type FixtureTenant, type SyncFixture } from './sync-fixture.ts';

let fx: SyncFixture;
let sf: SalesforceFake;
let t: FixtureTenant;
let connectionId = '';
// The org's clock, an hour behind: its seconds are settled, as a real org's are by the next sweep.
let clock = Date.now() - 3600_000;

async function poll(jobId: string): Promise<{ pages: number; records: number; done: boolean }> {
  const queue = fx.queues.get('sync-in');
  await queue.add('poll', { tenantId: t.id, connectionId, remoteObject: 'Opportunity' }, { jobId });
  const job = await waitFor(async () => {
    const j = await queue.getJob(jobId);
    return j?.finishedOn !== undefined && j;
  });
  expect(job.failedReason).toBeUndefined();
  await fx.engine.flushRuns();
  return job.returnvalue as { pages: number; records: number; done: boolean };
}

beforeAll(async () => {
  sf = await startSalesforceFake({ now: () => new Date(clock) });
  fx = await syncFixture('sf-poll');
  fx.startWorkers();
  t = await fx.tenant('sf-poll');
});
afterAll(async () => {
  await fx?.close();
  await sf?.close();
});

describe('polling Salesforce by SystemModstamp', () => {
  it('reads everything once, then only what changed since the durable cursor', async () => {
    const ids = ['Tower A podium', 'Tower A slab 5', 'Tower A handover'].map((Name) => sf.insert('Opportunity', { Name, StageName: 'Prospecting', CloseDate: '2026-12-31', Amount: 250000 }));
    await expectStatus(t.call('POST', '/v1/custom-fields', { key: 'salesforceOpportunityId', label: 'Salesforce opportunity', type: 'string', appliesTo: 'milestone' }), 201);
    const projectId = await createProject(t);
    const milestones = [];
    for (const [i, oppId] of ids.entries()) {
      milestones.push(await createMilestone(t, projectId, { title: i === 1 ? 'Slab five (old name)' : ['Tower A podium', '', 'Tower A handover'][i], customFields: { salesforceOpportunityId: oppId } }));
    }
    const { credentials } = sf;
    const conn = await expectStatus<{ id: string }>(
      t.call('POST', '/v1/connections', {
        connector: 'salesforce',
        name: 'Salesforce',
        config: { instanceUrl: sf.url, loginUrl: sf.url, apiVersion: '62.0', organizationId: credentials.orgId },
        credentials: { clientId: credentials.clientId, clientSecret: credentials.clientSecret, refreshToken: credentials.refreshToken },
      }),
      201,
    );
    connectionId = conn.id;
    await expectStatus(
      t.call('POST', '/v1/mappings', {
        connectionId,
        hubObject: 'milestone',
        remoteObject: 'Opportunity',
        direction: 'in',
        match: { hub: 'customFields.salesforceOpportunityId', remote: 'Id' },
        fields: [{ hub: 'title', remote: 'Name' }],
      }),
      201,
    );
    // The mapping's activation makes the engine schedule polling for the object.
    const schedulers = await waitFor(async () => {
      const all = await fx.queues.get('sync-in').getJobSchedulers(0, -1);
      const polls = all.filter((s) => (s.id ?? s.key).startsWith('poll-'));
      return polls.length === 1 && polls;
    });
    expect(schedulers[0]!.template?.data).toMatchObject({ tenantId: t.id, connectionId, remoteObject: 'Opportunity' });

    // A job scheduler starts with a sweep at once: the first one reads every record and links them by `match`.
    const runsOf = async () => {
      await fx.engine.flushRuns();
      return (await expectStatus<{ items: Array<{ id: string; kind: string; counts: { created: number; updated: number; skipped: number; conflicts: number; failed: number } }> }>(t.call('GET', `/v1/sync-runs?kind=poll&connectionId=${connectionId}`), 200)).items;
    };
    const [initial] = await waitFor(async () => {
      const runs = await runsOf();
      return runs.length === 1 && runs[0]!.counts.updated + runs[0]!.counts.skipped === 3 && runs;
    });
    expect(initial!.counts).toEqual({ created: 0, updated: 1, skipped: 2, conflicts: 0, failed: 0 });
    const m1 = await expectStatus<{ title: string; version: number }>(t.call('GET', `/v1/milestones/${milestones[1]!.id}`), 200);
    expect(m1.title).toBe('Tower A slab 5');
    const untouched = await expectStatus<{ version: number }>(t.call('GET', `/v1/milestones/${milestones[0]!.id}`), 200);
    expect(untouched.version).toBe(milestones[0]!.version);

    clock += 60_000;
    sf.simulateUserEdit('Opportunity', ids[2]!, { Name: 'Tower A handover and snagging' });
    const second = await poll('sweep-2');
    expect(second).toMatchObject({ records: 1, done: true });
    const m2 = await expectStatus<{ title: string }>(t.call('GET', `/v1/milestones/${milestones[2]!.id}`), 200);
    expect(m2.title).toBe('Tower A handover and snagging');

    const third = await poll('sweep-3');
    expect(third.records).toBe(0);

    const runs = await runsOf();
    expect(runs).toHaveLength(3);
    const byJob = (jobId: string) => runs.find((r) => r.id.endsWith(jobId))!;
    expect(byJob('sweep-2').counts).toEqual({ created: 0, updated: 1, skipped: 0, conflicts: 0, failed: 0 });
    expect(byJob('sweep-3').counts).toEqual({ created: 0, updated: 0, skipped: 0, conflicts: 0, failed: 0 });
    const lineage = await expectStatus<{ items: Array<Record<string, unknown>> }>(t.call('GET', `/v1/milestones/${milestones[2]!.id}/sync`), 200);
    expect(lineage.items).toEqual([expect.objectContaining({ connectionId, remoteId: ids[2], remoteObject: 'Opportunity', status: 'linked', lastDirection: 'in' })]);
  });
});
