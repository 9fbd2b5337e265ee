import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { milestonesCollection } from '../../core/milestones/index.ts';
import { syncLinksCollection } from '../../core/sync/index.ts';
import { loadActiveSpec } from '../../queues/sync/active-mapping.ts';
import { applyRemoteRecord } from '../../queues/sync/apply-remote-record.ts';
import { startJiraFake, type JiraFake } from '../fakes/jira/index.ts';
import { createMilestone, createProject, drained, expectStatus, syncFixture, waitFor, type FixtureTenant, type SyncFixture } from './sync-fixture.ts';

const SECRET = 'jira-webhook-secret-resync-0123456789';

let fx: SyncFixture;
let jira: JiraFake;
let server: ServerType;
let hubUrl = '';
let t: FixtureTenant;
let connectionId = '';
let projectId = '';

const puts = () => jira.requests.filter((r) => r.method === 'PUT' && /^\/rest\/api\/[23]\/issue\/[A-Z]+-\d+$/.test(r.path));
const priorityOf = (key: string) => ((jira.getIssue(key)!.fields as Record<string, any>).priority as { name: string }).name;

const outSpec = (low: string, name = 'Milestones → issues') => ({
  connectionId,
  name,
  hubObject: 'milestone',
  remoteObject: 'issue',
  direction: 'out',
  fields: [
    { hub: 'title', remote: 'fields.summary' },
    { hub: 'priority', remote: 'fields.priority.name', valueMap: { low, medium: 'Medium', high: 'High', critical: 'Highest' } },
  ],
});

beforeAll(async () => {
  jira = await startJiraFake();
  fx = await syncFixture('jira-resync');
  fx.startWorkers();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: fx.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await fx.tenant('resync');
  connectionId = (
    await expectStatus<{ id: string }>(
      t.call('POST', '/v1/connections', { connector: 'jira', name: 'Jira', config: { baseUrl: jira.url, projectKey: 'MH' }, credentials: jira.credentials, webhook: { secrets: [SECRET] } }),
      201,
    )
  ).id;
  jira.registerWebhook({ url: `${hubUrl}/v1/hooks/${connectionId}`, secret: SECRET, events: ['jira:issue_updated'] });
  projectId = await createProject(t);
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await fx?.close();
  await jira?.close();
});

describe('mapping changes resync only what they affect', () => {
  let mappingId = '';
  const keys: Record<string, string> = {};

  it('pushes only the changed field, and only where its mapped value now differs', async () => {
    mappingId = (await expectStatus<{ id: string }>(t.call('POST', '/v1/mappings', outSpec('Low')), 201)).id;
    const low = await createMilestone(t, projectId, { title: 'Drainage', priority: 'low' });
    const high = await createMilestone(t, projectId, { title: 'Fire exits', priority: 'high' });
    const lineage = async (id: string) => (await expectStatus<{ items: Array<{ remoteId: string | null; status: string }> }>(t.call('GET', `/v1/milestones/${id}/sync`), 200)).items[0];
    keys.low = (await waitFor(async () => (await lineage(low.id))?.remoteId ?? undefined))!;
    keys.high = (await waitFor(async () => (await lineage(high.id))?.remoteId ?? undefined))!;
    await drained(fx.queues);
    expect(priorityOf(keys.low)).toBe('Low');
    const before = puts().length;

    await expectStatus(t.call('POST', `/v1/mappings/${mappingId}/versions`, outSpec('Lowest')), 201);
    await waitFor(() => priorityOf(keys.low!) === 'Lowest', 20_000, 'priority rewritten');
    await drained(fx.queues);
    const sent = puts().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toMatch(new RegExp(`/issue/${keys.low}$`));
    expect(Object.keys((sent[0]!.body as { fields: Record<string, unknown> }).fields)).toEqual(['priority']);
    expect(priorityOf(keys.high)).toBe('High');

    await fx.engine.flushRuns();
    const runs = await expectStatus<{ items: Array<{ kind: string; mappingId?: string; counts: Record<string, number> }> }>(t.call('GET', '/v1/sync-runs?kind=resync'), 200);
    expect(runs.items).toEqual([expect.objectContaining({ kind: 'resync', counts: { created: 0, updated: 1, skipped: 1, conflicts: 0, failed: 0 } })]);
  });

  it('queues nothing for a cosmetic change', async () => {
    const before = puts().length;
    await expectStatus(t.call('POST', `/v1/mappings/${mappingId}/versions`, outSpec('Lowest', 'Renamed mapping')), 201);
    await new Promise((r) => setTimeout(r, 600));
    await drained(fx.queues);
    const pushes = (await fx.queues.get('sync-out').getJobs(['completed', 'waiting', 'delayed', 'active'])).filter((j) => j.name === 'push' && (j.data as { cause: string }).cause === 'resync');
    expect(pushes).toHaveLength(2);
    expect(puts().length).toBe(before);
  });
});

describe('conflicts', () => {
  let milestoneId = '';
  let key = '';

  it('records a status the hub workflow refuses as a conflict, instead of dropping it', async () => {
    await expectStatus(
      t.call('POST', '/v1/mappings', {
        connectionId,
        hubObject: 'milestone',
        remoteObject: 'issue',
        direction: 'in',
        fields: [{ hub: 'status', remote: 'fields.status.name', valueMap: { planned: 'To Do', in_progress: 'In Progress', submitted: 'In Review' }, owner: 'newest' }],
      }),
      201,
    );
    const m = await createMilestone(t, projectId, { title: 'Lobby finishes', priority: 'medium' });
    milestoneId = m.id;
    key = await waitFor(async () => (await expectStatus<{ items: Array<{ remoteId: string | null }> }>(t.call('GET', `/v1/milestones/${m.id}/sync`), 200)).items.find((l) => l.remoteId)?.remoteId ?? undefined);
    jira.simulateTransition(key, 'In Progress');
    await jira.flushWebhooks();
    await waitFor(async () => (await expectStatus<{ status: string }>(t.call('GET', `/v1/milestones/${m.id}`), 200)).status === 'in_progress');

    // Submitting needs 100% complete in the hub's workflow: the move is refused and kept for review.
    jira.simulateTransition(key, 'In Review');
    await jira.flushWebhooks();
    const conflicts = await waitFor(async () => {
      const body = await expectStatus<{ items: Array<Record<string, any>> }>(t.call('GET', '/v1/sync-conflicts?status=open'), 200);
      return body.items.length > 0 && body.items;
    });
    expect(conflicts).toEqual([
      expect.objectContaining({ kind: 'transition_refused', status: 'open', hubId: m.id, remoteId: key, field: 'status', hubValue: 'in_progress', remoteValue: 'submitted', connectionId }),
    ]);
    expect((await expectStatus<{ status: string }>(t.call('GET', `/v1/milestones/${m.id}`), 200)).status).toBe('in_progress');
    const lineage = await expectStatus<{ items: Array<{ status: string; conflictFields: string[] }> }>(t.call('GET', `/v1/milestones/${m.id}/sync`), 200);
    expect(lineage.items).toContainEqual(expect.objectContaining({ status: 'conflict', conflictFields: ['status'] }));
  });

  it('settles it by taking the remote value once the hub allows it, as the person resolving', async () => {
    const [conflict] = (await expectStatus<{ items: Array<{ id: string }> }>(t.call('GET', '/v1/sync-conflicts?status=open'), 200)).items;
    // Still refused: the conflict stays open.
    const refused = await t.call('POST', `/v1/sync-conflicts/${conflict!.id}/resolve`, { take: 'remote' });
    expect(refused.status).toBe(409);
    await expectStatus(t.call('PATCH', `/v1/milestones/${milestoneId}`, { percentComplete: 100 }), 200);
    const resolved = await expectStatus<Record<string, any>>(t.call('POST', `/v1/sync-conflicts/${conflict!.id}/resolve`, { take: 'remote' }), 200);
    expect(resolved).toMatchObject({ status: 'resolved', resolution: { take: 'remote' } });
    expect((await expectStatus<{ status: string }>(t.call('GET', `/v1/milestones/${milestoneId}`), 200)).status).toBe('submitted');
    const history = await expectStatus<{ items: Array<{ action: string; actor: { kind: string; channel?: string } }> }>(t.call('GET', `/v1/milestones/${milestoneId}/history`), 200);
    expect(history.items.filter((e) => e.action === 'milestone.transitioned').at(-1)?.actor).toMatchObject({ kind: 'user', channel: 'sync-conflict' });
    const lineage = await expectStatus<{ items: Array<{ status: string; conflictFields: string[] }> }>(t.call('GET', `/v1/milestones/${milestoneId}/sync`), 200);
    expect(lineage.items.every((l) => l.conflictFields.length === 0)).toBe(true);
    expect((await t.call('POST', `/v1/sync-conflicts/${conflict!.id}/resolve`, { take: 'hub' })).status).toBe(409);
  });

  it('refuses a resolution it cannot read', async () => {
    const res = await t.call('POST', '/v1/sync-conflicts/nope/resolve', { take: 'sideways' });
    expect(res.status).toBe(400);
  });
});

describe('a field both sides changed', () => {
  it('becomes a conflict when the timestamps cannot decide, is not pushed meanwhile, and is settled for the hub', async () => {
    const t2 = await fx.tenant('newest');
    const conn = (await expectStatus<{ id: string }>(t2.call('POST', '/v1/connections', { connector: 'jira', name: 'Jira', config: { baseUrl: jira.url, projectKey: 'MH' }, credentials: jira.credentials }), 201)).id;
    const mapping = (
      await expectStatus<{ id: string }>(
        t2.call('POST', '/v1/mappings', { connectionId: conn, hubObject: 'milestone', remoteObject: 'issue', direction: 'both', fields: [{ hub: 'title', remote: 'fields.summary', owner: 'newest' }] }),
        201,
      )
    ).id;
    const m = await createMilestone(t2, await createProject(t2), { title: 'Podium slab' });
    const link = await waitFor(() => t2.db.collection(syncLinksCollection).findOne({ hubId: m.id, remoteId: { $exists: true } }));
    const key = link.remoteId!;
    await drained(fx.queues);

    // The hub changes the title while its push is held back, and Jira reports its own change stamped at the same instant.
    const out = fx.workers.find((w) => w.name === 'sync-out')!;
    await out.pause();
    try {
      await expectStatus(t2.call('PATCH', `/v1/milestones/${m.id}`, { title: 'Podium slab, hub edit' }), 200);
      // Once the relay has taken the change's event, the milestone's update time stays put.
      const relayed = await waitFor(async () => {
        const doc = await t2.db.collection(milestonesCollection).findById(m.id);
        return doc !== null && doc.outbox.length === 0 && doc;
      });
      const edited = { updatedAt: relayed.updatedAt.toISOString() };
      const rt = fx.engine.runtime;
      const handle = await rt.handles.get(t2.db, conn);
      const active = await loadActiveSpec(t2.db, rt.compile, mapping);
      if (!handle.ok || active === null) throw new Error('no connection or mapping');
      const remote = { id: key, version: new Date(Date.parse(edited.updatedAt) + 5).toISOString(), updatedAt: edited.updatedAt, data: { key, fields: { summary: 'Podium slab, Jira edit' } } };
      const result = await applyRemoteRecord(rt, { db: t2.db, handle: handle.handle, timeZone: 'Asia/Kolkata' }, active, remote);
      expect(result).toMatchObject({ outcome: 'conflicts', conflicts: 1 });
    } finally {
      out.resume();
    }
    const [conflict] = (await expectStatus<{ items: Array<Record<string, any>> }>(t2.call('GET', '/v1/sync-conflicts?status=open'), 200)).items;
    expect(conflict).toMatchObject({ kind: 'field', field: 'title', hubValue: 'Podium slab, hub edit', remoteValue: 'Podium slab, Jira edit', reason: 'equal_timestamps' });
    // The held push runs now and leaves the field under review alone.
    await drained(fx.queues);
    expect((jira.getIssue(key)!.fields as Record<string, unknown>).summary).toBe('Podium slab');
    expect((await expectStatus<{ title: string }>(t2.call('GET', `/v1/milestones/${m.id}`), 200)).title).toBe('Podium slab, hub edit');

    await expectStatus(t2.call('POST', `/v1/sync-conflicts/${conflict!.id}/resolve`, { take: 'hub' }), 200);
    await waitFor(() => (jira.getIssue(key)!.fields as Record<string, unknown>).summary === 'Podium slab, hub edit', 20_000, 'hub value pushed');
  });
});

describe('tenant isolation and roles on the sync routes', () => {
  it("shows another tenant nothing of this tenant's sync", async () => {
    const other = await fx.tenant('intruder');
    const [conflict] = (await expectStatus<{ items: Array<{ id: string }> }>(t.call('GET', '/v1/sync-conflicts'), 200)).items;
    const ms = (await expectStatus<{ items: Array<{ id: string }> }>(t.call('GET', `/v1/milestones?projectId=${projectId}`), 200)).items[0]!;
    const mapping = (await expectStatus<{ items: Array<{ id: string }> }>(t.call('GET', '/v1/mappings'), 200)).items[0]!;
    expect((await t.call('GET', '/v1/sync-runs')).status).toBe(200);

    expect((await other.call('GET', `/v1/milestones/${ms.id}/sync`)).status).toBe(404);
    expect((await expectStatus<{ items: unknown[] }>(other.call('GET', '/v1/sync-conflicts'), 200)).items).toEqual([]);
    expect((await expectStatus<{ items: unknown[] }>(other.call('GET', '/v1/sync-runs'), 200)).items).toEqual([]);
    expect(await expectStatus(other.call('GET', '/v1/dead-letters?status=all'), 200)).toEqual({ groups: [], items: [], nextCursor: null });
    expect((await other.call('POST', `/v1/sync-conflicts/${conflict!.id}/resolve`, { take: 'hub' })).status).toBe(404);
    expect((await other.call('POST', '/v1/sync/resync', { mappingId: mapping.id })).status).toBe(404);
    expect((await other.call('POST', '/v1/dead-letters/dl_nope/replay')).status).toBe(404);
    expect(await expectStatus(other.call('POST', '/v1/dead-letters/replay', {}), 202)).toEqual({ matched: 0, replayed: 0, truncated: false });

    expect((await fx.app.request('/v1/sync-runs')).status).toBe(401);
    expect((await fx.app.request('/v1/dead-letters')).status).toBe(401);
    const viewer = await expectStatus<{ apiKey: string }>(t.call('POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' }), 201);
    const asViewer = (path: string) => fx.app.request(path, { headers: { Authorization: `Bearer ${viewer.apiKey}` } });
    expect((await asViewer('/v1/dead-letters')).status).toBe(403);
    expect((await asViewer('/v1/sync-conflicts')).status).toBe(403);
    expect((await asViewer(`/v1/milestones/${ms.id}/sync`)).status).toBe(200);
  });
});
