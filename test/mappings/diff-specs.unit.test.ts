import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../mappings/index.ts';
import type { MappingSpecInput } from '../../mappings/index.ts';

const v1: MappingSpecInput = {
  connectionId: 'c1',
  name: 'v1',
  hubObject: 'milestone',
  remoteObject: 'issue',
  direction: 'both',
  fields: [
    { hub: 'title', remote: 'fields.summary' },
    { hub: 'description', remote: 'fields.description' },
    { hub: 'priority', remote: 'fields.priority.name', valueMap: { low: 'Low', high: 'High' } },
    { hub: 'dueDate', remote: 'fields.duedate', required: false },
  ],
};

describe('diffSpecs', () => {
  it('finds no change between equal versions, even with fields reordered and defaults written out', () => {
    const same = { ...v1, fields: [...v1.fields].reverse().map((f) => (f.hub === 'dueDate' ? { ...f, required: undefined, owner: 'newest' as const } : f)), deletePolicy: 'ignore' as const };
    expect(diffSpecs(v1, same)).toEqual({ added: [], removed: [], changed: [], specChanges: [], affectedHubFields: [], resyncAll: false });
  });

  it('lists added, removed and changed fields by path pair, and the hub fields they affect', () => {
    const v2: MappingSpecInput = {
      ...v1,
      name: 'v2',
      fields: [
        { hub: 'title', remote: 'fields.summary', required: true },
        { hub: 'priority', remote: 'fields.priority.name', valueMap: { low: 'Low', high: 'Highest' }, owner: 'hub' },
        { hub: 'dueDate', remote: 'fields.duedate' },
        { hub: 'description', remote: 'fields.environment' },
        { hub: 'tags', remote: 'fields.labels' },
      ],
    };
    const diff = diffSpecs(v1, v2);
    expect(diff.added).toEqual([{ hub: 'description', remote: 'fields.environment' }, { hub: 'tags', remote: 'fields.labels' }]);
    expect(diff.removed).toEqual([{ hub: 'description', remote: 'fields.description' }]);
    expect(diff.changed).toEqual([
      { hub: 'title', remote: 'fields.summary', settings: ['required'] },
      { hub: 'priority', remote: 'fields.priority.name', settings: ['valueMap', 'owner'] },
    ]);
    expect(diff.specChanges).toEqual(['name']);
    expect(diff.affectedHubFields).toEqual(['description', 'priority', 'tags', 'title']);
    expect(diff.resyncAll).toBe(false);
  });

  it('asks for a full resync when a change can alter every record', () => {
    expect(diffSpecs(v1, { ...v1, filter: 'status != "draft"' })).toMatchObject({ specChanges: ['filter'], resyncAll: true });
    expect(diffSpecs(v1, { ...v1, direction: 'out' })).toMatchObject({ specChanges: ['direction'], resyncAll: true });
    expect(diffSpecs(v1, { ...v1, deletePolicy: 'close' })).toMatchObject({ specChanges: ['deletePolicy'], resyncAll: false });
  });
});
