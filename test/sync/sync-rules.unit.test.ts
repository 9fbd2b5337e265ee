import { describe, expect, it } from 'vitest';
import { jiraConnector } from '../../connectors/jira/index.ts';
import { quickbooksConnector } from '../../connectors/quickbooks/index.ts';
import { salesforceConnector } from '../../connectors/salesforce/index.ts';
import { bucketParams, compareVersions, DEFAULT_BUCKET, fromStoredValues, toStoredValues } from '../../core/sync/index.ts';
import { mappingSpecSchema } from '../../mappings/index.ts';
import { hubPatch } from '../../queues/sync/apply-remote-record.ts';
import { fieldStates } from '../../queues/sync/field-states.ts';
import { pickPaths, readPath } from '../../queues/sync/field-paths.ts';
import { fieldsToSend } from '../../queues/sync/push-hub-record.ts';
import { hubTargetOf } from '../../queues/sync/index.ts';

describe('the connection token bucket from published quotas', () => {
  it('ignores per-issue limits (Jira) and falls back to the default', () => {
    expect(bucketParams(jiraConnector.rateLimits())).toEqual(DEFAULT_BUCKET);
  });

  it('takes the tightest connection-wide rate, with a burst of at most ten seconds', () => {
    expect(bucketParams(quickbooksConnector.rateLimits())).toEqual({ capacity: 84, refillPerSecond: 500 / 60 });
    expect(bucketParams([{ requests: 500, perSeconds: 60 }, { requests: 10, perSeconds: 1 }])).toEqual({ capacity: 10, refillPerSecond: 500 / 60 });
  });

  it('never goes below the floor: a daily allowance still refills at a request a second', () => {
    const config = salesforceConnector.parseConfig({ instanceUrl: 'https://acme.my.salesforce.com', organizationId: '00D000000000001' });
    expect(config.ok).toBe(true);
    expect(bucketParams(salesforceConnector.rateLimits(config.ok ? config.value : undefined))).toEqual({ capacity: 12, refillPerSecond: 100_000 / 86_400 });
    expect(bucketParams([{ requests: 1000, perSeconds: 86_400 }])).toEqual({ capacity: 10, refillPerSecond: 1 });
  });
});

describe('ordering vendor versions', () => {
  it('orders SyncTokens numerically and instants by time, and nothing else', () => {
    expect(compareVersions('9', '10')).toBeLessThan(0);
    expect(compareVersions('2026-11-21T10:00:00.000Z', '2026-11-21T15:30:00.000+05:30')).toBe(0);
    expect(compareVersions('2026-11-21T10:00:01.000Z', '2026-11-21T10:00:00.500Z')).toBeGreaterThan(0);
    expect(compareVersions('W/"abc"', 'W/"abd"')).toBeUndefined();
    expect(compareVersions('same', 'same')).toBe(0);
  });
});

describe('snapshot values as pairs', () => {
  it('round-trips paths with dots', () => {
    const values = { 'payment.amount': 1200, title: 'A', 'customFields.x.y': [1] };
    expect(toStoredValues(values).map((p) => p.path)).toEqual(['customFields.x.y', 'payment.amount', 'title']);
    expect(fromStoredValues(toStoredValues(values))).toEqual(values);
  });
});

describe('mapping paths', () => {
  it('reads and picks nested and indexed paths', () => {
    const record = { fields: { summary: 'S', priority: { name: 'High' } }, Line: [{ Amount: 5 }] };
    expect(readPath(record, 'Line[0].Amount')).toBe(5);
    expect(pickPaths(record, ['fields.priority.name', 'Line[0].Amount', 'fields.missing'])).toEqual({ fields: { priority: { name: 'High' } }, Line: [{ Amount: 5 }] });
  });
});

describe('which fields a push sends', () => {
  const spec = mappingSpecSchema.parse({
    connectionId: 'c',
    name: 'n',
    hubObject: 'milestone',
    remoteObject: 'issue',
    direction: 'both',
    fields: [
      { hub: 'title', remote: 'fields.summary', owner: 'hub' },
      { hub: 'description', remote: 'fields.description', owner: 'remote' },
      { hub: 'dueDate', remote: 'fields.duedate' },
    ],
  });
  const remote = { fields: { summary: 'Old', description: 'Theirs', duedate: '2026-01-01' } };
  const link = { fieldHashes: fieldStates(spec, remote).map((s) => ({ path: s.remote, hash: s.hash })), conflictFields: [] as string[] };
  const names = (list: { hub: string }[]) => list.map((f) => f.hub);

  it('sends what differs from what the remote holds, never a remote-owned field', () => {
    const states = fieldStates(spec, { fields: { summary: 'New', description: 'Ours', duedate: '2026-01-01' } });
    expect(names(fieldsToSend(states, link, {}))).toEqual(['title']);
    expect(names(fieldsToSend(fieldStates(spec, remote), link, {}))).toEqual([]);
  });

  it('holds back fields under review, narrows to a resync, and forces a settled conflict', () => {
    const states = fieldStates(spec, { fields: { summary: 'New', description: 'Ours', duedate: '2026-02-02' } });
    expect(names(fieldsToSend(states, { ...link, conflictFields: ['title'] }, {}))).toEqual(['dueDate']);
    expect(names(fieldsToSend(states, link, { onlyFields: ['dueDate'] }))).toEqual(['dueDate']);
    expect(names(fieldsToSend(states, { ...link, conflictFields: ['description'] }, { forceFields: ['description'] }))).toEqual(['title', 'description', 'dueDate']);
  });
});

describe('an inbound merge as a domain patch', () => {
  it('sends whole top-level values, sets the status aside and leaves out fields under review', () => {
    const current = { title: 'A', status: 'planned', payment: { amount: 100, gstRate: 18 }, customFields: { a: 1 } };
    const patch = hubPatch(current, { title: 'B', status: 'in_progress', 'payment.amount': 250, 'customFields.b': 2 }, ['title']);
    expect(patch).toEqual({ fields: { payment: { amount: 250, gstRate: 18 }, customFields: { a: 1, b: 2 } }, status: 'in_progress' });
    expect(current.payment.amount).toBe(100);
  });
});

describe('which domain events sync follows', () => {
  it('follows changes of milestones, projects and invoices, not their side events', () => {
    expect(hubTargetOf({ type: 'milestone.updated', aggregate: { type: 'milestone', id: 'ms_1' } })).toEqual({ hubObject: 'milestone', hubId: 'ms_1' });
    expect(hubTargetOf({ type: 'milestone.transitioned', aggregate: { type: 'milestone', id: 'ms_1' } })).toEqual({ hubObject: 'milestone', hubId: 'ms_1' });
    expect(hubTargetOf({ type: 'project.updated', aggregate: { type: 'project', id: 'prj_1' } })).toEqual({ hubObject: 'project', hubId: 'prj_1' });
    expect(hubTargetOf({ type: 'invoice.sent', aggregate: { type: 'milestone', id: 'ms_1' }, data: { invoiceId: 'inv_1' } })).toEqual({ hubObject: 'invoice', hubId: 'inv_1' });
    expect(hubTargetOf({ type: 'milestone.started', aggregate: { type: 'milestone', id: 'ms_1' } })).toBeUndefined();
    expect(hubTargetOf({ type: 'verification.requested', aggregate: { type: 'verification', id: 'v_1' } })).toBeUndefined();
  });
});
