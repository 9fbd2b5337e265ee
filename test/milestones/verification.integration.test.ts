import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectStatus, milestoneWorld, type Milestone, type Problem } from './milestone-fixtures.ts';

interface Verification {
  id: string;
  status: string;
  currentStep: number;
  decisions: { decision: string; step: number }[];
  method: string;
}

async function submitted(w: Awaited<ReturnType<typeof milestoneWorld>>, body: Record<string, unknown> = {}) {
  const p = await w.project();
  const m = await w.milestone(p.id, body);
  await expectStatus(w.move(m.id, 'in_progress'), 200);
  await expectStatus(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { percentComplete: 100 } }), 200);
  await expectStatus(w.move(m.id, 'submitted'), 200);
  return m;
}

describe('verification', () => {
  it('runs a two-step approval chain: manager, then a named person; verified only once it completes', async () => {
    const w = await milestoneWorld();
    const manager = await w.keyFor('manager');
    const owner = await w.keyFor('owner');
    const finance = await expectStatus<{ id: string }>(w.call('POST', '/v1/people', { body: { name: 'Finance head', email: 'fin@example.in', apiKeyIds: [owner.id] } }), 201);
    const m = await submitted(w);
    const v = await expectStatus<Verification>(
      w.call('POST', `/v1/milestones/${m.id}/verifications`, { body: { approvers: [{ role: 'manager' }, { personId: finance.id }], note: 'Slab 3' } }),
      201,
    );
    expect(v).toMatchObject({ status: 'pending', currentStep: 0, method: 'manual' });
    const decide = (key: string, decision = 'approve') => w.callAs(key, 'POST', `/v1/milestones/${m.id}/verifications/${v.id}/decisions`, { body: { decision, comment: 'ok' } });

    // The second step's approver cannot jump the queue; the admin is not the manager step.
    const early = await expectStatus<Problem>(decide(owner.key), 403);
    expect(early.detail).toMatch(/step 1 of 2 waits for a manager key/);
    await expectStatus(decide(w.key), 403);
    const notYet = await expectStatus<Problem>(w.move(m.id, 'verified'), 409);
    expect(notYet.reason).toBe('verification_required');

    const first = await expectStatus<Verification>(decide(manager.key), 200);
    expect(first).toMatchObject({ status: 'pending', currentStep: 1 });
    await expectStatus(decide(manager.key), 403);
    await expectStatus(w.move(m.id, 'verified'), 409);

    const second = await expectStatus<Verification>(decide(owner.key), 200);
    expect(second.status).toBe('approved');
    expect(second.decisions.map((d) => d.step)).toEqual([0, 1]);
    await expectStatus(decide(owner.key), 409);
    const verified = await expectStatus<Milestone>(w.move(m.id, 'verified'), 200);
    expect(verified.status).toBe('verified');
    expect((verified.verification as { status: string }).status).toBe('approved');
  });

  it('rejects on one rejection, and a rejected submission needs a fresh verification', async () => {
    const w = await milestoneWorld();
    const m = await submitted(w);
    const v1 = await expectStatus<Verification>(w.call('POST', `/v1/milestones/${m.id}/verifications`, { body: { approvers: [{ role: 'admin' }] } }), 201);
    await expectStatus(w.call('POST', `/v1/milestones/${m.id}/verifications`, { body: { approvers: [{ role: 'admin' }] } }), 409);
    const rejected = await expectStatus<Verification>(w.call('POST', `/v1/milestones/${m.id}/verifications/${v1.id}/decisions`, { body: { decision: 'reject', comment: 'cracks' } }), 200);
    expect(rejected.status).toBe('rejected');
    const v2 = await expectStatus<Verification>(w.call('POST', `/v1/milestones/${m.id}/verifications`, { body: { approvers: [{ role: 'admin' }] } }), 201);
    await expectStatus(w.call('POST', `/v1/milestones/${m.id}/verifications/${v2.id}/decisions`, { body: { decision: 'approve' } }), 200);
    // The submission goes back for rework: the approval no longer counts.
    await expectStatus(w.move(m.id, 'in_progress'), 200);
    await expectStatus(w.move(m.id, 'submitted'), 200);
    expect((await expectStatus<Problem>(w.move(m.id, 'verified'), 409)).reason).toBe('verification_required');
  });

  it('approves N of M (quorum), and rejects once the quorum cannot be reached', async () => {
    const w = await milestoneWorld();
    const keys = [await w.keyFor('manager'), await w.keyFor('manager'), await w.keyFor('manager')];
    const m = await submitted(w);
    const chain = { mode: 'quorum', required: 2, approvers: [{ role: 'manager' }, { role: 'manager' }, { role: 'manager' }] };
    const v = await expectStatus<Verification>(w.call('POST', `/v1/milestones/${m.id}/verifications`, { body: { chain } }), 201);
    const decide = (key: string, decision: string) => w.callAs(key, 'POST', `/v1/milestones/${m.id}/verifications/${v.id}/decisions`, { body: { decision } });
    expect((await expectStatus<Verification>(decide(keys[0]!.key, 'approve'), 200)).status).toBe('pending');
    // The same key counts once.
    await expectStatus(decide(keys[0]!.key, 'approve'), 403);
    expect((await expectStatus<Verification>(decide(keys[1]!.key, 'approve'), 200)).status).toBe('approved');

    const m2 = await submitted(w);
    const v2 = await expectStatus<Verification>(w.call('POST', `/v1/milestones/${m2.id}/verifications`, { body: { chain } }), 201);
    const decide2 = (key: string, decision: string) => w.callAs(key, 'POST', `/v1/milestones/${m2.id}/verifications/${v2.id}/decisions`, { body: { decision } });
    await expectStatus(decide2(keys[0]!.key, 'reject'), 200);
    const second = await expectStatus<Verification>(decide2(keys[1]!.key, 'reject'), 200);
    expect(second.status).toBe('rejected');
    const tooMany = await expectStatus<Problem>(w.call('POST', `/v1/milestones/${m2.id}/verifications`, { body: { chain: { ...chain, required: 4 } } }), 422);
    expect(tooMany.errors?.[0]?.code).toBe('quorum_too_large');
  });

  it('verifies automatically on a condition or a connector signal, and hybrid needs both', async () => {
    const w = await milestoneWorld();
    const integration = await w.keyFor('integration');
    const auto = await submitted(w);
    const byCondition = await expectStatus<Verification>(
      w.call('POST', `/v1/milestones/${auto.id}/verifications`, { body: { method: 'automated', automated: { condition: { all: [{ fact: 'percentComplete', operator: 'equal', value: 100 }] } } } }),
      201,
    );
    expect(byCondition.status).toBe('approved');
    await expectStatus(w.move(auto.id, 'verified'), 200);

    const signalled = await submitted(w);
    const waiting = await expectStatus<Verification>(w.call('POST', `/v1/milestones/${signalled.id}/verifications`, { body: { automated: { signal: 'jira.issue.done' } } }), 201);
    expect(waiting).toMatchObject({ status: 'pending', method: 'automated' });
    const other = await expectStatus<{ items: Verification[] }>(w.callAs(integration.key, 'POST', `/v1/milestones/${signalled.id}/verification-signals`, { body: { signal: 'jira.issue.reopened' } }), 200);
    expect(other.items).toHaveLength(0);
    const took = await expectStatus<{ items: Verification[] }>(w.callAs(integration.key, 'POST', `/v1/milestones/${signalled.id}/verification-signals`, { body: { signal: 'jira.issue.done' } }), 200);
    expect(took.items[0]?.status).toBe('approved');

    const hybrid = await submitted(w);
    const h = await expectStatus<Verification>(
      w.call('POST', `/v1/milestones/${hybrid.id}/verifications`, { body: { method: 'hybrid', approvers: [{ role: 'admin' }], automated: { signal: 'site.photo.checked' } } }),
      201,
    );
    const approvedByPerson = await expectStatus<Verification>(w.call('POST', `/v1/milestones/${hybrid.id}/verifications/${h.id}/decisions`, { body: { decision: 'approve' } }), 200);
    expect(approvedByPerson.status).toBe('pending');
    await expectStatus(w.move(hybrid.id, 'verified'), 409);
    await expectStatus(w.callAs(integration.key, 'POST', `/v1/milestones/${hybrid.id}/verification-signals`, { body: { signal: 'site.photo.checked' } }), 200);
    await expectStatus(w.move(hybrid.id, 'verified'), 200);

    const bad = await expectStatus<Problem>(w.call('POST', `/v1/milestones/${hybrid.id}/verifications`, { body: { method: 'automated' } }), 422);
    expect(bad.errors?.[0]?.code).toBe('automated_check_required');
  });

  it('records evidence with who, what, a content hash and a link', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const m = await w.milestone(p.id);
    const content = 'handover certificate v1';
    const expected = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    const added = await expectStatus<{ items: { id: string; contentHash: string; by: { kind: string; id: string }; kind: string; link?: string }[] }>(
      w.call('POST', `/v1/milestones/${m.id}/evidence`, { body: { items: [{ kind: 'certificate', content }, { kind: 'photo', link: 'https://files.example.in/slab.jpg', contentHash: 'A'.repeat(64) }] } }),
      201,
    );
    expect(added.items[0]).toMatchObject({ kind: 'certificate', contentHash: expected, by: { kind: 'user' } });
    expect(added.items[1]).toMatchObject({ contentHash: `sha256:${'a'.repeat(64)}`, link: 'https://files.example.in/slab.jpg' });
    const mismatch = await expectStatus<Problem>(w.call('POST', `/v1/milestones/${m.id}/evidence`, { body: { items: [{ content, contentHash: 'b'.repeat(64) }] } }), 422);
    expect(mismatch.errors?.[0]).toMatchObject({ path: 'body.items.0.contentHash', code: 'hash_mismatch' });
    await expectStatus(w.call('POST', `/v1/milestones/${m.id}/evidence`, { body: { items: [{ link: 'javascript:alert(1)' }] } }), 422);
    // Evidence can come with a transition too.
    await expectStatus(w.call('POST', `/v1/milestones/${m.id}/transitions`, { body: { to: 'in_progress', reason: 'crew on site', evidence: [{ kind: 'photo', link: 'https://files.example.in/crew.jpg' }] } }), 200);
    const listed = await expectStatus<{ items: { kind: string; transition?: { to: string } }[] }>(w.call('GET', `/v1/milestones/${m.id}/evidence`), 200);
    expect(listed.items).toHaveLength(3);
    expect(listed.items[2]?.transition?.to).toBe('in_progress');
  });

  it('raises a dispute with a reason and resolves it, moving the milestone through its workflow', async () => {
    const w = await milestoneWorld();
    const m = await submitted(w);
    const raised = await expectStatus<{ dispute: { id: string; status: string }; milestone: Milestone }>(
      w.call('POST', `/v1/milestones/${m.id}/disputes`, { body: { reason: 'Slab thickness below drawing' } }),
      201,
    );
    expect(raised.dispute.status).toBe('open');
    expect(raised.milestone.status).toBe('disputed');
    await expectStatus(w.call('POST', `/v1/milestones/${m.id}/disputes`, { body: { reason: 'again' } }), 409);
    const resolved = await expectStatus<{ dispute: { status: string; outcome: string; resolution: string }; milestone: Milestone }>(
      w.call('POST', `/v1/milestones/${m.id}/disputes/${raised.dispute.id}/resolve`, { body: { outcome: 'rework', resolution: 'Recast the edge' } }),
      200,
    );
    expect(resolved.dispute).toMatchObject({ status: 'resolved', outcome: 'rework', resolution: 'Recast the edge' });
    expect(resolved.milestone.status).toBe('in_progress');
    await expectStatus(w.call('POST', `/v1/milestones/${m.id}/disputes/${raised.dispute.id}/resolve`, { body: { outcome: 'accept', resolution: 'x' } }), 409);
    const listed = await expectStatus<{ items: unknown[] }>(w.call('GET', `/v1/milestones/${m.id}/disputes`), 200);
    expect(listed.items).toHaveLength(1);
    await expectStatus(w.call('POST', `/v1/milestones/${m.id}/disputes`, { body: {} }), 400);
  });
});
