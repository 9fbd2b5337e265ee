import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJiraFake, type JiraFake } from '../fakes/jira/index.ts';
import { createMilestone, createProject, expectStatus, syncFixture, waitFor, type FixtureTenant, type SyncFixture } from './sync-fixture.ts';

// A stored mapping's preview diffs a linked record against its twin as it is now: the Jira issue
// for a hub record (out), the hub milestone for a Jira issue (in). Nothing is written either way.

let fx: SyncFixture;
let jira: JiraFake;
let t: FixtureTenant;
let mappingId = '';
let milestoneId = '';
let issueKey = '';

interface PreviewItem {
  output?: Record<string, unknown>;
  diff?: Array<{ path: string; op: string; from?: unknown; to?: unknown }>;
  linked?: { hubId: string; remoteId: string; unread?: string };
}
const preview = (body: unknown) => expectStatus<{ results: PreviewItem[] }>(t.call('POST', `/v1/mappings/${mappingId}/preview`, body), 200);

beforeAll(async () => {
  jira = await startJiraFake();
  fx = await syncFixture('linked-preview');
  fx.startWorkers();
  t = await fx.tenant('preview');
  const conn = await expectStatus<{ id: string }>(t.call('POST', '/v1/connections', { connector: 'jira', name: 'Jira', config: { baseUrl: jira.url, projectKey: 'MH' }, credentials: jira.credentials }), 201);
  const mapping = await expectStatus<{ id: string }>(
    t.call('POST', '/v1/mappings', {
      connectionId: conn.id,
      hubObject: 'milestone',
      remoteObject: 'issue',
      direction: 'both',
      fields: [{ hub: 'title', remote: 'fields.summary', owner: 'hub' }],
    }),
    201,
  );
  mappingId = mapping.id;
  const projectId = await createProject(t);
  milestoneId = (await createMilestone(t, projectId, { title: 'Shuttering' })).id;
  await waitFor(() => jira.issueKeys().length === 1, 20_000, 'the issue');
  issueKey = jira.issueKeys()[0]!;
  await waitFor(async () => {
    const links = await t.call('GET', `/v1/milestones/${milestoneId}/sync`);
    return links.status === 200 && JSON.stringify(await links.json()).includes(issueKey);
  }, 20_000, 'the link');
});
afterAll(async () => {
  await fx?.close();
  await jira?.close();
});

describe('preview of a stored mapping against linked records', () => {
  it('diffs a linked hub record against the Jira issue as it is now, and writes nothing', async () => {
    // Someone renamed the issue in Jira since the last sync.
    jira.simulateUserEdit(issueKey, { fields: { summary: 'Shuttering (renamed in Jira)' } });
    const writesBefore = jira.requests.filter((r) => r.method !== 'GET').length;
    const { results } = await preview({ direction: 'out', records: [{ id: milestoneId, title: 'Shuttering and props' }, { id: 'ms_unlinked', title: 'Not linked' }] });
    expect(results[0]!.linked).toEqual({ hubId: milestoneId, remoteId: issueKey });
    expect(results[0]!.diff).toEqual([{ path: 'fields.summary', op: 'replace', from: 'Shuttering (renamed in Jira)', to: 'Shuttering and props' }]);
    expect(results[1]!.linked).toBeUndefined();
    expect(results[1]!.diff).toBeUndefined();
    expect(jira.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
  });

  it('diffs a linked Jira issue against the hub milestone', async () => {
    const { results } = await preview({ direction: 'in', records: [{ key: issueKey, fields: { summary: 'Shuttering, level 2' } }], remoteIds: [issueKey] });
    expect(results[0]!.linked).toEqual({ hubId: milestoneId, remoteId: issueKey });
    expect(results[0]!.diff).toEqual([{ path: 'title', op: 'replace', from: 'Shuttering', to: 'Shuttering, level 2' }]);
    const after = await expectStatus<{ title: string }>(t.call('GET', `/v1/milestones/${milestoneId}`), 200);
    expect(after.title).toBe('Shuttering');
  });

  it('keeps the old behaviour when asked: explicit current records, or no linked diff', async () => {
    const explicit = await preview({ direction: 'out', records: [{ id: milestoneId, title: 'X' }], current: [{ fields: { summary: 'Y' } }] });
    expect(explicit.results[0]!.diff).toEqual([{ path: 'fields.summary', op: 'replace', from: 'Y', to: 'X' }]);
    expect(explicit.results[0]!.linked).toBeUndefined();
    const none = await preview({ direction: 'out', records: [{ id: milestoneId, title: 'X' }], linked: false });
    expect(none.results[0]!.diff).toBeUndefined();
  });

  it('refuses remote ids of the wrong shape', async () => {
    const res = await t.call('POST', `/v1/mappings/${mappingId}/preview`, { direction: 'in', records: [{}], remoteIds: [''] });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
