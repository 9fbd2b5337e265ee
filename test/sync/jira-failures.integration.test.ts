import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionsCollection, decryptCredentials } from '../../core/connections/index.ts';
import { startJiraFake, type JiraFake } from '../fakes/jira/index.ts';
import { createMilestone, createProject, drained, expectStatus, syncFixture, waitFor, type FixtureTenant, type SyncFixture } from './sync-fixture.ts';

let fx: SyncFixture;
let mainWorkers: Worker[] = [];
let crash: ((info: { op: string }) => Promise<void> | void) | undefined;

beforeAll(async () => {
  fx = await syncFixture('jira-failures', { seams: { afterPush: (info) => crash?.(info) } });
  mainWorkers = fx.startWorkers();
});
afterAll(async () => {
  await fx?.close();
});

/** A tenant with a Jira connection (to its own fake) and an outbound title mapping. */
async function world(slug: string, options: { fields?: unknown[]; oauth?: boolean } = {}) {
  const jira = await startJiraFake();
  const t = await fx.tenant(slug);
  const grant = options.oauth ? jira.issueToken() : undefined;
  const credentials =
    grant === undefined
      ? jira.credentials
      : { bearer: grant.accessToken, refreshToken: grant.refreshToken, clientId: 'fake-client-id', clientSecret: 'fake-client-secret', tokenUrl: `${jira.url}/oauth/token` };
  const conn = await expectStatus<{ id: string }>(
    t.call('POST', '/v1/connections', { connector: 'jira', name: 'Jira', config: { baseUrl: grant === undefined ? jira.url : jira.gatewayUrl, projectKey: 'MH' }, credentials }),
    201,
  );
  const mapping = await expectStatus<{ id: string }>(
    t.call('POST', '/v1/mappings', { connectionId: conn.id, hubObject: 'milestone', remoteObject: 'issue', direction: 'out', fields: options.fields ?? [{ hub: 'title', remote: 'fields.summary' }] }),
    201,
  );
  const projectId = await createProject(t);
  const issuePath = grant === undefined ? '/rest/api/3/issue' : `/ex/jira/${jira.cloudId}/rest/api/3/issue`;
  const creates = () => jira.requests.filter((r) => r.method === 'POST' && r.path === issuePath);
  return { jira, t, connectionId: conn.id, mappingId: mapping.id, projectId, grant, creates, issuePath };
}

async function lineage(t: FixtureTenant, id: string) {
  return (await expectStatus<{ items: Array<Record<string, any>> }>(t.call('GET', `/v1/milestones/${id}/sync`), 200)).items;
}

describe('sync-out failure handling', () => {
  it('creates exactly one issue when Jira created it but the answer was lost', async () => {
    const w = await world('lost-answer');
    w.jira.failNext({ status: 500, afterCommit: true, method: 'POST', path: w.issuePath });
    const m = await createMilestone(w.t, w.projectId, { title: 'Footing F3' });
    const items = await waitFor(async () => {
      const l = await lineage(w.t, m.id);
      return l[0]?.status === 'linked' && l;
    });
    expect(w.jira.issueKeys()).toHaveLength(1);
    expect(items[0]!.remoteId).toBe(w.jira.issueKeys()[0]);
    // The first POST committed and failed; the retry found the issue by its idempotency label instead of posting again.
    expect(w.creates()).toHaveLength(1);
    await w.jira.close();
  });

  it('creates exactly one issue when the worker dies after the push and before the link is written', async () => {
    const w = await world('killed-worker');
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    let pushes = 0;
    crash = async (info) => {
      pushes += 1;
      if (info.op === 'create' && pushes === 1) await stuck;
    };
    // Only the worker about to be killed takes sync-out jobs until it is gone.
    const main = mainWorkers.find((wk) => wk.name === 'sync-out')!;
    await main.pause();
    const [doomed] = fx.startWorkers(['sync-out']);
    let items: Array<Record<string, any>>;
    try {
      const m = await createMilestone(w.t, w.projectId, { title: 'Slab S7' });
      await waitFor(() => pushes === 1, 20_000, 'first push');
      expect(w.jira.issueKeys()).toHaveLength(1);
      await doomed!.close(true);
      main.resume();
      // The surviving worker finds the job stalled (its lock lapsed), runs it again, and the connector finds the issue.
      items = await waitFor(async () => {
        const l = await lineage(w.t, m.id);
        return l[0]?.status === 'linked' && l;
      }, 25_000);
    } finally {
      main.resume();
      release();
      crash = undefined;
    }
    expect(w.jira.issueKeys()).toHaveLength(1);
    expect(w.creates()).toHaveLength(1);
    expect(items[0]!.remoteId).toBe(w.jira.issueKeys()[0]);
    await w.jira.close();
  });

  it('waits out a 429 without counting a failed attempt, then succeeds', async () => {
    const w = await world('rate-limited');
    w.jira.failNext({ status: 429, retryAfter: 1, method: 'POST', path: w.issuePath });
    const m = await createMilestone(w.t, w.projectId, { title: 'Lift shaft' });
    await waitFor(async () => (await lineage(w.t, m.id))[0]?.status === 'linked');
    expect(w.jira.issueKeys()).toHaveLength(1);
    expect(w.creates()).toHaveLength(2);
    const [first, second] = w.creates();
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
    const jobs = await fx.queues.get('sync-out').getJobs(['completed']);
    const job = jobs.find((j) => j.name === 'push' && (j.data as { hubId: string }).hubId === m.id && j.returnvalue?.outcome === 'created');
    // One counted attempt (the one that succeeded); the rate-limited run put the job back uncounted.
    expect(job?.attemptsMade).toBe(1);
    expect(job?.attemptsStarted).toBeGreaterThanOrEqual(2);
    expect(job?.failedReason).toBeUndefined();
    expect(await fx.queues.get('sync-out').getJobs(['failed'])).not.toContainEqual(expect.objectContaining({ data: expect.objectContaining({ hubId: m.id }) }));
    await w.jira.close();
  });

  it('sends a 400 to dead letters, and replays it with the fixed mapping', async () => {
    const w = await world('dead-letter', {
      fields: [
        { hub: 'title', remote: 'fields.summary' },
        { hub: 'priority', remote: 'fields.priority.name', valueMap: { low: 'Low', medium: 'Medium', high: 'Urgent', critical: 'Highest' } },
      ],
    });
    const m = await createMilestone(w.t, w.projectId, { title: 'Podium waterproofing', priority: 'high' });
    const letters = await waitFor(async () => {
      const body = await expectStatus<{ groups: Array<Record<string, unknown>>; items: Array<Record<string, any>> }>(w.t.call('GET', `/v1/dead-letters?connectionId=${w.connectionId}`), 200);
      return body.items.length > 0 && body;
    });
    expect(letters.groups).toEqual([expect.objectContaining({ connectionId: w.connectionId, entity: 'milestone', status: 'open', count: 1 })]);
    expect(letters.items[0]).toMatchObject({ direction: 'out', hubId: m.id, mappingId: w.mappingId, error: { code: 'vendor_refused', status: 400 } });
    expect(letters.items[0]!.error.body).toContain('priority');
    expect(w.jira.issueKeys()).toHaveLength(0);
    const failed = await lineage(w.t, m.id);
    expect(failed).toEqual([expect.objectContaining({ status: 'failed', remoteId: null, lastError: expect.objectContaining({ code: 'vendor_refused' }) })]);

    // Fix the mapping (a new active version), then replay everything of that mapping.
    await expectStatus(
      w.t.call('POST', `/v1/mappings/${w.mappingId}/versions`, {
        connectionId: w.connectionId,
        hubObject: 'milestone',
        remoteObject: 'issue',
        direction: 'out',
        fields: [
          { hub: 'title', remote: 'fields.summary' },
          { hub: 'priority', remote: 'fields.priority.name', valueMap: { low: 'Low', medium: 'Medium', high: 'High', critical: 'Highest' } },
        ],
      }),
      201,
    );
    const replay = await expectStatus<{ matched: number; replayed: number }>(w.t.call('POST', '/v1/dead-letters/replay', { mappingId: w.mappingId }), 202);
    expect(replay).toMatchObject({ matched: 1, replayed: 1 });
    const key = await waitFor(() => w.jira.issueKeys()[0], 20_000, 'issue after replay');
    expect(((w.jira.getIssue(key)!.fields as Record<string, any>).priority as { name: string }).name).toBe('High');
    await waitFor(async () => (await lineage(w.t, m.id))[0]?.status === 'linked');
    const after = await expectStatus<{ items: Array<Record<string, any>> }>(w.t.call('GET', `/v1/dead-letters?status=all&connectionId=${w.connectionId}`), 200);
    expect(after.items).toEqual([expect.objectContaining({ status: 'resolved', replayCount: 1 })]);
    await w.jira.close();
  });

  it('refreshes an expired OAuth token once for concurrent pushes, and stores the new tokens', async () => {
    const w = await world('token-refresh', { oauth: true });
    w.jira.expireToken(w.grant!.accessToken);
    const ids = await Promise.all([1, 2, 3].map(async (n) => (await createMilestone(w.t, w.projectId, { title: `Tower ${n}` })).id));
    await waitFor(() => w.jira.issueKeys().length === 3, 20_000, 'three issues');
    await drained(fx.queues, ['outbox', 'sync-out']);
    expect(w.jira.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    const conn = await w.t.db.collection(connectionsCollection).findById(w.connectionId);
    const stored = decryptCredentials(fx.services.vault, conn!);
    expect(stored.ok && stored.credentials.bearer).not.toBe(w.grant!.accessToken);
    expect(stored.ok && stored.credentials.refreshToken).not.toBe(w.grant!.refreshToken);
    expect(conn!.status).toBe('active');
    for (const id of ids) expect((await lineage(w.t, id))[0]?.status).toBe('linked');
    await w.jira.close();
  });

  it('stops on credentials that cannot be refreshed: dead letter and the connection flagged', async () => {
    const w = await world('auth-expired', { oauth: true });
    w.jira.expireToken(w.grant!.accessToken);
    w.jira.revokeRefreshToken(w.grant!.refreshToken);
    const m = await createMilestone(w.t, w.projectId, { title: 'Boundary wall' });
    const letter = await waitFor(async () => {
      const body = await expectStatus<{ items: Array<Record<string, any>> }>(w.t.call('GET', `/v1/dead-letters?connectionId=${w.connectionId}`), 200);
      return body.items[0];
    });
    expect(letter).toMatchObject({ hubId: m.id, error: { code: 'auth_expired' } });
    const conn = await expectStatus<{ status: string }>(w.t.call('GET', `/v1/connections/${w.connectionId}`), 200);
    expect(conn.status).toBe('error');
    await w.jira.close();
  });
});
