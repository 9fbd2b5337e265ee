import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncLinksCollection } from '../../core/sync/index.ts';
import { startJiraFake, type JiraFake } from '../fakes/jira/index.ts';
import { createMilestone, createProject, expectStatus, syncFixture, waitFor, type FixtureTenant, type SyncFixture } from './sync-fixture.ts';

let fx: SyncFixture;
let jira: JiraFake;
let t: FixtureTenant;
let connectionId = '';

const posts = () => jira.requests.filter((r) => r.method === 'POST' && /^\/rest\/api\/[23]\/issue$/.test(r.path));
const puts = () => jira.requests.filter((r) => r.method === 'PUT' && /^\/rest\/api\/[23]\/issue\/[A-Z]+-\d+$/.test(r.path));

beforeAll(async () => {
  jira = await startJiraFake();
  fx = await syncFixture('jira-out');
  fx.startWorkers();
  t = await fx.tenant('jira-out');
  const conn = await expectStatus<{ id: string }>(
    t.call('POST', '/v1/connections', { connector: 'jira', name: 'Jira', config: { baseUrl: jira.url, projectKey: 'MH' }, credentials: jira.credentials }),
    201,
  );
  connectionId = conn.id;
  await expectStatus(
    t.call('POST', '/v1/mappings', { connectionId, hubObject: 'milestone', remoteObject: 'issue', direction: 'out', fields: [{ hub: 'title', remote: 'fields.summary' }] }),
    201,
  );
});

afterAll(async () => {
  await fx?.close();
  await jira?.close();
});

describe('outbound sync to Jira', () => {
  it('creates an issue for a new milestone, then updates it when the title changes', async () => {
    const projectId = await createProject(t);
    const m = await createMilestone(t, projectId, { title: 'Plinth beam casting' });

    const key = await waitFor(() => jira.issueKeys()[0], 20_000, 'issue created');
    expect(posts()).toHaveLength(1);
    const issue = jira.getIssue(key)!;
    expect((issue.fields as Record<string, unknown>).summary).toBe('Plinth beam casting');

    const lineage = await waitFor(async () => {
      const body = await expectStatus<{ items: Array<Record<string, unknown>> }>(t.call('GET', `/v1/milestones/${m.id}/sync`), 200);
      return body.items[0]?.remoteId === key && body;
    });
    expect(lineage.items).toEqual([expect.objectContaining({ connectionId, remoteId: key, status: 'linked', remoteObject: 'issue', lastDirection: 'out', lastOperation: 'create' })]);

    await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { title: 'Plinth beam casting, grid A' }), 200);
    await waitFor(() => puts().length === 1, 20_000, 'PUT seen');
    expect(puts()[0]!.path).toMatch(new RegExp(`/issue/${key}$`));
    expect((jira.getIssue(key)!.fields as Record<string, unknown>).summary).toBe('Plinth beam casting, grid A');
    expect(posts()).toHaveLength(1);
  });

  it('writes nothing for a change the mapping does not carry', async () => {
    const projectId = await createProject(t);
    const m = await createMilestone(t, projectId, { title: 'Column reinforcement' });
    await waitFor(() => jira.issueKeys().length === 2, 20_000, 'second issue');
    const before = puts().length;
    await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 40 }), 200);
    // The push job runs and finds no mapped field changed.
    await waitFor(async () => {
      const runs = await expectStatus<{ items: Array<{ counts: { skipped: number } }> }>(t.call('GET', '/v1/sync-runs?kind=outbound'), 200);
      await fx.engine.flushRuns();
      return runs.items.some((r) => r.counts.skipped > 0);
    });
    expect(puts().length).toBe(before);
  });
});

describe('hub deletes follow the delete policy', () => {
  it('closes the issue when the mapping says close', async () => {
    const other = await startJiraFake();
    try {
      const t2 = await fx.tenant('jira-close');
      const conn = await expectStatus<{ id: string }>(
        t2.call('POST', '/v1/connections', { connector: 'jira', name: 'Jira', config: { baseUrl: other.url, projectKey: 'MH' }, credentials: other.credentials }),
        201,
      );
      await expectStatus(
        t2.call('POST', '/v1/mappings', { connectionId: conn.id, hubObject: 'milestone', remoteObject: 'issue', direction: 'out', deletePolicy: 'close', fields: [{ hub: 'title', remote: 'fields.summary' }] }),
        201,
      );
      const projectId = await createProject(t2);
      const m = await createMilestone(t2, projectId, { title: 'Temporary works' });
      const key = await waitFor(() => other.issueKeys()[0], 20_000, 'issue created');
      await waitFor(async () => (await expectStatus<{ items: Array<{ status: string }> }>(t2.call('GET', `/v1/milestones/${m.id}/sync`), 200)).items[0]?.status === 'linked');
      const res = await t2.call('DELETE', `/v1/milestones/${m.id}`);
      expect(res.status).toBe(204);
      await waitFor(() => ((other.getIssue(key)!.fields as Record<string, any>).status as { name: string }).name === 'Done', 20_000, 'issue closed');
      expect(other.issueKeys()).toEqual([key]);
      // A deleted milestone is gone from the API; its link records the close.
      const link = await waitFor(async () => {
        const found = await t2.db.collection(syncLinksCollection).findOne({ hubId: m.id });
        return found?.status === 'closed' && found;
      });
      expect(link).toMatchObject({ status: 'closed', lastOperation: 'close', remoteId: key });
    } finally {
      await other.close();
    }
  });
});
