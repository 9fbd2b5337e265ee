import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJiraFake, type JiraFake } from '../fakes/jira/index.ts';
import { createMilestone, createProject, drained, expectStatus, syncFixture, waitFor, type FixtureTenant, type SyncFixture } from './sync-fixture.ts';

const SECRET = 'jira-webhook-secret-0123456789abcdef';

let fx: SyncFixture;
let jira: JiraFake;
let server: ServerType;
let t: FixtureTenant;
let connectionId = '';
let projectId = '';

const puts = () => jira.requests.filter((r) => r.method === 'PUT' && /^\/rest\/api\/[23]\/issue\/[A-Z]+-\d+$/.test(r.path));
const fields = (key: string) => jira.getIssue(key)!.fields as Record<string, unknown>;

interface Milestone {
  id: string;
  title: string;
  description?: string;
  status: string;
  version: number;
}
const milestone = (id: string) => expectStatus<Milestone>(t.call('GET', `/v1/milestones/${id}`), 200);

/** Delivers the fake's pending webhooks to the hub and waits until every queue is idle again. */
async function settle(): Promise<void> {
  await jira.flushWebhooks();
  await drained(fx.queues);
}

beforeAll(async () => {
  jira = await startJiraFake();
  fx = await syncFixture('jira-two-way');
  fx.startWorkers();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: fx.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await fx.tenant('jira-2way');
  const conn = await expectStatus<{ id: string }>(
    t.call('POST', '/v1/connections', { connector: 'jira', name: 'Jira', config: { baseUrl: jira.url, projectKey: 'MH' }, credentials: jira.credentials, webhook: { secrets: [SECRET] } }),
    201,
  );
  connectionId = conn.id;
  jira.registerWebhook({ url: `${hubUrl}/v1/hooks/${connectionId}`, secret: SECRET, events: ['jira:issue_created', 'jira:issue_updated'] });
  // Two-way text: the hub owns the title, Jira owns the description. Status comes back one way, as in the starters.
  await expectStatus(
    t.call('POST', '/v1/mappings', {
      connectionId,
      hubObject: 'milestone',
      remoteObject: 'issue',
      direction: 'both',
      fields: [
        { hub: 'title', remote: 'fields.summary', owner: 'hub' },
        { hub: 'description', remote: 'fields.description', owner: 'remote' },
      ],
    }),
    201,
  );
  await expectStatus(
    t.call('POST', '/v1/mappings', {
      connectionId,
      hubObject: 'milestone',
      remoteObject: 'issue',
      direction: 'in',
      fields: [{ hub: 'status', remote: 'fields.status.name', valueMap: { planned: 'To Do', in_progress: 'In Progress', submitted: 'Done' }, owner: 'newest' }],
    }),
    201,
  );
  projectId = await createProject(t);
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await fx?.close();
  await jira?.close();
});

describe('two-way sync with Jira', () => {
  let id = '';
  let key = '';

  it('sends a hub change out once: the webhook of its own write changes nothing and sends nothing back', async () => {
    const m = await createMilestone(t, projectId, { title: 'Retaining wall', description: 'East side' });
    id = m.id;
    key = await waitFor(() => jira.issueKeys()[0], 20_000, 'issue created');
    await settle();
    const created = await milestone(id);

    await expectStatus(t.call('PATCH', `/v1/milestones/${id}`, { title: 'Retaining wall, east' }), 200);
    await waitFor(() => puts().length === 1, 20_000, 'the PUT');
    await settle();
    // The issue_updated webhook of that PUT came back and was recognised as the hub's own write.
    const deliveries = jira.webhookDeliveries.filter((d) => d.event === 'jira:issue_updated' && d.ok);
    expect(deliveries.length).toBeGreaterThanOrEqual(1);
    const after = await milestone(id);
    expect(after.version).toBe(created.version + 1);
    expect(puts()).toHaveLength(1);
    expect(fields(key).summary).toBe('Retaining wall, east');
  });

  it('moves the milestone when Jira moves the issue, through the workflow and as the connection, with no echo', async () => {
    const before = puts().length;
    jira.simulateTransition(key, 'In Progress');
    await settle();
    const m = await waitFor(async () => {
      const now = await milestone(id);
      return now.status === 'in_progress' && now;
    });
    expect(m.status).toBe('in_progress');
    const history = await expectStatus<{ items: Array<{ action: string; actor: { kind: string; id: string; channel?: string } }> }>(t.call('GET', `/v1/milestones/${id}/history`), 200);
    const moved = history.items.find((e) => e.action === 'milestone.transitioned');
    expect(moved?.actor).toMatchObject({ kind: 'connection', id: connectionId, channel: 'jira' });
    await settle();
    expect(puts().length).toBe(before);
    const lineage = await expectStatus<{ items: Array<{ mappingId: string; status: string; remoteId: string }> }>(t.call('GET', `/v1/milestones/${id}/sync`), 200);
    expect(lineage.items).toHaveLength(2);
    expect(lineage.items.every((l) => l.remoteId === key && l.status === 'linked')).toBe(true);
  });

  it('keeps a hub-owned field against a remote edit (and writes it back), and takes a remote-owned one', async () => {
    const before = puts().length;
    jira.simulateUserEdit(key, { fields: { summary: 'Edited in Jira', description: 'East side, 40 m' } });
    await settle();
    const m = await waitFor(async () => {
      const now = await milestone(id);
      return now.description === 'East side, 40 m' && now;
    });
    expect(m.title).toBe('Retaining wall, east');
    // The hub owns the title: Jira gets it back; the description Jira owns is not written.
    await waitFor(() => fields(key).summary === 'Retaining wall, east', 20_000, 'title restored in Jira');
    await settle();
    expect(puts().length).toBe(before + 1);
    const put = puts().at(-1)!.body as { fields: Record<string, unknown> };
    expect(Object.keys(put.fields)).toEqual(['summary']);
    expect(fields(key).description).toBe('East side, 40 m');

    // A hub edit of the field Jira owns stays in the hub: Jira's value is not overwritten.
    await expectStatus(t.call('PATCH', `/v1/milestones/${id}`, { description: 'Changed in the hub' }), 200);
    await settle();
    expect(puts().length).toBe(before + 1);
    expect(fields(key).description).toBe('East side, 40 m');
  });
});
