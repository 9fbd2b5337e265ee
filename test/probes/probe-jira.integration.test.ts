import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeInboxCollection } from '../../core/probes/index.ts';
import { saveLink } from '../../core/sync/index.ts';
import { startJiraFake, type JiraFake } from '../fakes/jira/index.ts';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { expectStatus, probeFixture, waitFor, type ProbeFixture } from './probe-fixture.ts';

let hub: ProbeFixture;
let jira: JiraFake;
let smtp: SmtpFake;
const SECRET = 'jira-webhook-secret-0123456789';

beforeAll(async () => {
  hub = await probeFixture('jira');
  jira = await startJiraFake();
  smtp = await startSmtpFake();
});
afterAll(async () => {
  await hub?.close();
  await jira?.close();
  await smtp?.close();
});

describe('probe replies as Jira comments', () => {
  it('applies a comment on the linked issue to the open probe of its milestone', async () => {
    const t = await hub.tenant('jira');
    await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme <projects@acme.in>' }, credentials: {} });
    const connectionId = await t.connection({ connector: 'jira', config: { baseUrl: jira.url, projectKey: 'MH' }, credentials: jira.credentials, webhook: { secrets: [SECRET] } });
    jira.registerWebhook({ url: `${hub.publicUrl}/v1/hooks/${connectionId}`, secret: SECRET, events: ['comment_created'] });
    const owner = await t.person({ name: 'Asha Rao', email: 'asha@example.in', channels: ['email'] });
    const m = await t.milestone(await t.project(), owner, { title: 'Payment gateway integration' });
    const issueKey = jira.simulateCreate({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary: 'Payment gateway integration' } });
    // Sync linked the milestone to its issue (core/sync link store).
    await saveLink(t.db, { connectionId, mappingId: 'map_jira_milestones', hubObject: 'milestone', hubId: m.id, remoteObject: 'issue' }, { remoteId: issueKey, status: 'linked' });

    // A comment on an issue nobody was asked about changes nothing.
    jira.simulateComment(issueKey, '80% done, testing pending');
    await jira.flushWebhooks();
    const unmatched = await waitFor(async () => (await t.db.collection(probeInboxCollection).find({}))[0], 15_000, 'first comment handled');
    expect(unmatched).toMatchObject({ status: 'unmatched' });
    expect((await t.stored(m.id)).percentComplete).toBe(0);

    const { probeId } = await expectStatus<{ probeId: string }>(t.call('POST', `/v1/milestones/${m.id}/probes`), 202);
    expect((await t.probe(probeId)).issueKeys).toEqual([issueKey]);
    jira.simulateComment(issueKey, '70% done, sandbox settlements match; UAT next week');
    await jira.flushWebhooks();
    const after = await waitFor(async () => {
      const doc = await t.stored(m.id);
      return doc.percentComplete === 70 && doc;
    }, 15_000, 'percent from Jira');
    expect(after.status).toBe('in_progress');
    const probe = await t.probe(probeId);
    expect(probe).toMatchObject({ status: 'answered', outcome: { kind: 'percent', percentComplete: 70 } });
    expect(probe.replies[0]).toMatchObject({ channel: 'jira', matchedBy: 'issue' });
  });
});
