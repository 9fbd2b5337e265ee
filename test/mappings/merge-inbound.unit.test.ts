import { describe, expect, it } from 'vitest';
import { effectiveOwner, linkSnapshot, mergeInbound, resolveField } from '../../mappings/index.ts';
import type { FieldResolutionInput, MappingSpecInput } from '../../mappings/index.ts';

describe('effectiveOwner', () => {
  it('defaults to hub for out, remote for in, newest for both', () => {
    expect(effectiveOwner('out', {})).toBe('hub');
    expect(effectiveOwner('in', {})).toBe('remote');
    expect(effectiveOwner('both', {})).toBe('newest');
    expect(effectiveOwner('both', { owner: 'hub' })).toBe('hub');
  });
});

describe('resolveField', () => {
  const base = { owner: 'newest', hubValue: 'hub', remoteValue: 'remote' } as const;
  const cases: Array<[string, FieldResolutionInput, string, string]> = [
    ['equal values', { ...base, remoteValue: 'hub' }, 'keep_hub', 'same'],
    ['null and absent are equal', { ...base, hubValue: undefined, remoteValue: null }, 'keep_hub', 'same'],
    ['hub never had a value', { ...base, hubValue: undefined }, 'take_remote', 'hub_unset'],
    ['hub cleared on purpose is a value', { ...base, owner: 'hub', hubValue: null }, 'keep_hub', 'owner_hub'],
    ['owner hub', { ...base, owner: 'hub', remoteChanged: true, hubChanged: false }, 'keep_hub', 'owner_hub'],
    ['owner remote', { ...base, owner: 'remote', hubChanged: true, remoteChanged: false }, 'take_remote', 'owner_remote'],
    ['only the remote changed', { ...base, hubChanged: false, remoteChanged: true }, 'take_remote', 'only_remote_changed'],
    ['only the hub changed', { ...base, hubChanged: true, remoteChanged: false }, 'keep_hub', 'only_hub_changed'],
    ['both changed, remote later', { ...base, hubChanged: true, remoteChanged: true, hubUpdatedAt: '2025-01-01T10:00:00Z', remoteUpdatedAt: '2025-01-01T16:00:00.000+0530' }, 'take_remote', 'remote_newer'],
    ['both changed, hub later', { ...base, hubChanged: true, remoteChanged: true, hubUpdatedAt: new Date('2025-01-02'), remoteUpdatedAt: Date.parse('2025-01-01') }, 'keep_hub', 'hub_newer'],
    ['both changed, equal timestamps', { ...base, hubChanged: true, remoteChanged: true, hubUpdatedAt: '2025-01-01T10:00:00Z', remoteUpdatedAt: '2025-01-01T15:30:00+05:30' }, 'conflict', 'equal_timestamps'],
    ['both changed, no timestamps', { ...base, hubChanged: true, remoteChanged: true }, 'conflict', 'missing_timestamps'],
    ['both changed, one timestamp unreadable', { ...base, hubChanged: true, remoteChanged: true, hubUpdatedAt: 'yesterday', remoteUpdatedAt: '2025-01-01' }, 'conflict', 'missing_timestamps'],
    ['no snapshot, timestamps decide', { ...base, hubUpdatedAt: 1, remoteUpdatedAt: 2 }, 'take_remote', 'remote_newer'],
    ['no snapshot, no timestamps', { ...base }, 'conflict', 'missing_timestamps'],
    ['deep equality of objects', { ...base, hubValue: { a: [1, { b: 2 }] }, remoteValue: { a: [1, { b: 2, c: null }] } }, 'keep_hub', 'same'],
  ];
  it.each(cases)('%s', (_name, input, action, reason) => {
    expect(resolveField(input)).toEqual({ action, reason });
  });
});

const spec: MappingSpecInput = {
  connectionId: 'c1',
  name: 'two-way',
  hubObject: 'milestone',
  remoteObject: 'issue',
  direction: 'both',
  fields: [
    { hub: 'title', remote: 'fields.summary' },
    { hub: 'description', remote: 'fields.description' },
    { hub: 'dueDate', remote: 'fields.duedate' },
    { hub: 'status', remote: 'fields.status.name', valueMap: { planned: 'To Do', submitted: 'Done' }, owner: 'hub' },
    { hub: 'payment.amount', remote: 'Amount', toRemote: '$value / 100', toHub: '$value * 100', owner: 'remote' },
  ],
};

const lastSynced = { title: 'Kick-off', description: 'v1', dueDate: '2025-02-01', status: 'planned', payment: { amount: 100 } };

describe('mergeInbound', () => {
  it('decides per field from the snapshot values', () => {
    const current = { ...lastSynced, title: 'Kick-off (hub edit)', dueDate: '2025-02-10', status: 'submitted', payment: { amount: 100, gstRate: 18 } };
    const incoming = { title: 'Kick-off', description: 'v2 from Jira', dueDate: '2025-02-15', status: 'planned', payment: { amount: 200 } };
    const merge = mergeInbound(spec, { current, incoming, snapshot: linkSnapshot(spec, lastSynced) });

    expect(merge.decisions.map((d) => [d.hub, d.action, d.reason])).toEqual([
      ['title', 'keep_hub', 'only_hub_changed'],
      ['description', 'take_remote', 'only_remote_changed'],
      ['dueDate', 'conflict', 'missing_timestamps'],
      ['status', 'keep_hub', 'owner_hub'],
      ['payment.amount', 'take_remote', 'owner_remote'],
    ]);
    expect(merge.conflicts).toHaveLength(1);
    expect(merge.conflicts[0]).toMatchObject({ hub: 'dueDate', remote: 'fields.duedate', owner: 'newest', hubValue: '2025-02-10', remoteValue: '2025-02-15' });
    expect(merge.patch).toEqual({ description: 'v2 from Jira', 'payment.amount': 200 });
    expect(merge.record).toEqual({ ...current, description: 'v2 from Jira', payment: { amount: 200, gstRate: 18 } });
    expect(current.payment.amount).toBe(100);
  });

  it('lets timestamps settle fields both sides changed', () => {
    const current = { ...lastSynced, dueDate: '2025-02-10' };
    const incoming = { dueDate: '2025-02-15' };
    const snapshot = linkSnapshot(spec, lastSynced);
    const later = mergeInbound(spec, { current, incoming, snapshot, timestamps: { hub: '2025-01-05T00:00:00Z', remote: '2025-01-06T00:00:00Z' } });
    expect(later.patch).toEqual({ dueDate: '2025-02-15' });
    const tie = mergeInbound(spec, { current, incoming, snapshot, timestamps: { hub: '2025-01-05T00:00:00Z', remote: '2025-01-05T00:00:00Z' } });
    expect(tie.conflicts.map((c) => c.reason)).toEqual(['equal_timestamps']);
  });

  it('recognises the echo of its own write and keeps the hub', () => {
    const current = { ...lastSynced, title: 'edited since' };
    const merge = mergeInbound(spec, { current, incoming: { ...lastSynced }, snapshot: linkSnapshot(spec, lastSynced) });
    expect(merge.patch).toEqual({});
    expect(merge.conflicts).toEqual([]);
  });

  it('uses a hash-only snapshot to know which side changed', () => {
    const snapshot = { hash: linkSnapshot(spec, lastSynced).hash };
    const hubUnchanged = mergeInbound(spec, { current: lastSynced, incoming: { ...lastSynced, title: 'renamed in Jira' }, snapshot });
    expect(hubUnchanged.patch).toEqual({ title: 'renamed in Jira' });
    const bothChanged = mergeInbound(spec, { current: { ...lastSynced, description: 'hub' }, incoming: { ...lastSynced, title: 'jira' }, snapshot });
    expect(bothChanged.conflicts.map((c) => c.hub)).toEqual(['title', 'description']);
  });

  it('takes everything for a hub record that does not exist yet', () => {
    const merge = mergeInbound(spec, { current: undefined, incoming: { title: 'New', status: 'planned' } });
    expect(merge.patch).toEqual({ title: 'New', status: 'planned' });
    expect(merge.record).toEqual({ title: 'New', status: 'planned' });
  });

  it('lets the remote win by default in an inbound-only mapping', () => {
    const inbound: MappingSpecInput = { ...spec, direction: 'in', fields: [{ hub: 'title', remote: 'fields.summary' }] };
    const merge = mergeInbound(inbound, { current: { title: 'hub edit' }, incoming: { title: 'jira' }, snapshot: { values: { title: 'old' } } });
    expect(merge.patch).toEqual({ title: 'jira' });
  });

  it('ignores fields the remote did not send', () => {
    const merge = mergeInbound(spec, { current: lastSynced, incoming: { title: 'x' }, snapshot: linkSnapshot(spec, lastSynced) });
    expect(merge.decisions.map((d) => d.hub)).toEqual(['title']);
  });

  it('refuses an outbound-only mapping', () => {
    expect(() => mergeInbound({ ...spec, direction: 'out' }, { current: {}, incoming: {} })).toThrow(TypeError);
  });
});
