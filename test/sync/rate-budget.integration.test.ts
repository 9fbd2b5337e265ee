import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJiraFake, type JiraFake } from '../fakes/jira/index.ts';
import { createMilestone, createProject, expectStatus, syncFixture, waitFor, type SyncFixture } from './sync-fixture.ts';

let fx: SyncFixture;
let jira: JiraFake;

beforeAll(async () => {
  jira = await startJiraFake();
  // A budget of one request a second, for every connector without a connection-wide quota (Jira's are per issue).
  fx = await syncFixture('rate-budget', { sync: { bucketFallback: { capacity: 1, refillPerSecond: 1 } } });
  fx.startWorkers();
});
afterAll(async () => {
  await fx?.close();
  await jira?.close();
});

describe("the connection's shared rate budget", () => {
  it('delays pushes that find the bucket empty, without failing them', async () => {
    const t = await fx.tenant('budget');
    const conn = await expectStatus<{ id: string }>(t.call('POST', '/v1/connections', { connector: 'jira', name: 'Jira', config: { baseUrl: jira.url, projectKey: 'MH' }, credentials: jira.credentials }), 201);
    await expectStatus(t.call('POST', '/v1/mappings', { connectionId: conn.id, hubObject: 'milestone', remoteObject: 'issue', direction: 'out', fields: [{ hub: 'title', remote: 'fields.summary' }] }), 201);
    const projectId = await createProject(t);
    const ids: string[] = [];
    for (const title of ['Piling', 'Pile caps', 'Grade beams']) ids.push((await createMilestone(t, projectId, { title })).id);
    await waitFor(() => jira.issueKeys().length === 3, 20_000, 'three issues');
    const creates = jira.requests.filter((r) => r.method === 'POST' && /^\/rest\/api\/3\/issue$/.test(r.path)).map((r) => r.at);
    // One token a second: the three creates are spread over at least two seconds.
    expect(Math.max(...creates) - Math.min(...creates)).toBeGreaterThanOrEqual(1500);
    // The last issue exists a moment before its job completes (the link is written after the create).
    const completedPushes = async () => (await fx.queues.get('sync-out').getJobs(['completed'])).filter((j) => j.name === 'push' && ids.includes((j.data as { hubId: string }).hubId));
    await waitFor(async () => (await completedPushes()).length === 3, 10_000, 'three completed pushes');
    const jobs = await completedPushes();
    expect(jobs).toHaveLength(3);
    expect(jobs.every((j) => j.attemptsMade === 1 && j.failedReason === undefined)).toBe(true);
    expect(jobs.some((j) => (j.attemptsStarted ?? 0) >= 2)).toBe(true);
    expect(await fx.queues.get('sync-out').getJobs(['failed'])).toEqual([]);
  });
});
