import { describe, expect, it } from 'vitest';
import { defaultHubSchemas, starterRemoteSchema, validateMapping } from '../../mappings/index.ts';
import type { FieldMapping, MappingIssue, MappingSpecInput, ObjectSchema } from '../../mappings/index.ts';

const hub = defaultHubSchemas.milestone;
const remote = starterRemoteSchema('jira', 'issue') as ObjectSchema;

function spec(fields: FieldMapping[], extra: Partial<MappingSpecInput> = {}): MappingSpecInput {
  return { connectionId: 'c1', name: 'test', hubObject: 'milestone', remoteObject: 'issue', direction: 'both', fields, ...extra };
}

function errorsOf(input: unknown): MappingIssue[] {
  const result = validateMapping(input, { hub, remote });
  return result.ok ? [] : result.errors;
}

describe('validateMapping', () => {
  it('accepts a sound two-way spec', () => {
    const result = validateMapping(spec([
      { hub: 'title', remote: 'fields.summary', required: true },
      { hub: 'dueDate', remote: 'fields.duedate' },
      { hub: 'tags', remote: 'fields.labels' },
      { hub: 'owners[0].email', remote: 'fields.assignee.accountId' },
      { hub: 'priority', remote: 'fields.priority.name', valueMap: { low: 'Low', high: 'High' } },
      { hub: 'payment.amount', remote: 'fields.timeoriginalestimate', toRemote: '$value / 100', toHub: '$value * 100' },
    ], { match: { hub: 'customFields.jiraKey', remote: 'key' } }), { hub, remote });
    expect(result).toMatchObject({ ok: true });
  });

  it('reports unknown paths on either side, with a hint', () => {
    const errors = errorsOf(spec([
      { hub: 'titel', remote: 'fields.summary' },
      { hub: 'description', remote: 'fields.Summary' },
      { hub: 'tags.0', remote: 'fields.labels' },
      { hub: 'title.length', remote: 'fields.description' },
    ]));
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ['fields[0].hub', 'unknown_path'],
      ['fields[1].remote', 'unknown_path'],
      ['fields[2].hub', 'unknown_path'],
      ['fields[3].hub', 'unknown_path'],
    ]);
    expect(errors[1]?.message).toMatch(/did you mean "summary"/);
    expect(errors[2]?.message).toMatch(/tags\[0\]/);
  });

  it('accepts any path below an open object', () => {
    expect(errorsOf(spec([{ hub: 'customFields.anything.deep', remote: 'fields.description' }]))).toEqual([]);
  });

  it('reports malformed paths', () => {
    const errors = errorsOf(spec([
      { hub: 'a..b', remote: 'fields.summary' },
      { hub: 'title', remote: 'fields.labels[x]' },
      { hub: '__proto__.x', remote: 'fields.description' },
    ]));
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ['fields[0].hub', 'invalid_path'],
      ['fields[1].remote', 'invalid_path'],
      ['fields[2].hub', 'invalid_path'],
    ]);
  });

  it('reports a type mismatch on a plain copy, in each direction that copies', () => {
    const numberToString = errorsOf(spec([{ hub: 'percentComplete', remote: 'fields.summary' }], { direction: 'out' }));
    expect(numberToString).toMatchObject([{ path: 'fields[0]', code: 'type_mismatch' }]);
    expect(numberToString[0]?.message).toMatch(/number cannot be copied into string/);

    // integer → number is a safe widening outbound, but number → integer is not safe inbound.
    const widening = errorsOf(spec([{ hub: 'payment.amount', remote: 'fields.progress.percent' }], { direction: 'in' }));
    expect(widening).toEqual([]);
    expect(errorsOf(spec([{ hub: 'payment.dueInDays', remote: 'fields.timeoriginalestimate' }]))).toEqual([]);
    const narrowing = errorsOf(spec([{ hub: 'percentComplete', remote: 'fields.timeoriginalestimate' }], { direction: 'out' }));
    expect(narrowing).toMatchObject([{ path: 'fields[0]', code: 'type_mismatch' }]);
    expect(narrowing[0]?.message).toMatch(/^percentComplete ↔ fields.timeoriginalestimate: hub → remote: number cannot be copied into integer/);
    const both = errorsOf(spec([{ hub: 'payment.amount', remote: 'fields.description' }]));
    expect(both.map((e) => e.message)).toEqual([
      expect.stringMatching(/hub → remote: integer cannot be copied into string/),
      expect.stringMatching(/remote → hub: string cannot be copied into integer/),
    ]);
  });

  it('does not type-check through expressions', () => {
    expect(errorsOf(spec([{ hub: 'percentComplete', remote: 'fields.summary', toRemote: '$string($value)', toHub: '$number($value)' }]))).toEqual([]);
  });

  it('reports an unconstrained string copied into an enum', () => {
    const errors = errorsOf(spec([{ hub: 'status', remote: 'fields.status.name' }], { direction: 'in' }));
    expect(errors).toMatchObject([{ code: 'type_mismatch' }]);
    expect(errors[0]?.message).toMatch(/source is unconstrained; add a valueMap/);
    const outside = errorsOf(spec([{ hub: 'status', remote: 'fields.status.statusCategory.key' }], { direction: 'in' }));
    expect(outside[0]?.message).toMatch(/source values "new", "indeterminate", "done" are not accepted/);
  });

  it('reports invalid JSONata with its position and token', () => {
    const errors = errorsOf(spec([
      { hub: 'title', remote: 'fields.summary', toRemote: '$uppercase($value', toHub: '$value' },
    ], { filter: 'status = ' }));
    expect(errors).toMatchObject([
      { path: 'filter', code: 'invalid_expression' },
      { path: 'fields[0].toRemote', code: 'invalid_expression', position: 17, token: '(end)' },
    ]);
    expect(errors[1]?.message).toMatch(/^JSONata S0203/);
  });

  it('refuses a field of a two-way spec that cannot be reversed, naming the field', () => {
    const errors = errorsOf(spec([
      { hub: 'title', remote: 'fields.summary', toRemote: '$uppercase($value)' },
      { hub: 'description', remote: 'fields.description', toHub: '$value' },
    ]));
    expect(errors).toMatchObject([
      { path: 'fields[0].toHub', code: 'not_invertible' },
      { path: 'fields[1].toRemote', code: 'not_invertible' },
    ]);
    expect(errors[0]?.message).toContain('title ↔ fields.summary');
  });

  it('refuses a value map that is not one-to-one where it must be reversed', () => {
    const manyToOne = { low: 'Low', medium: 'Low', high: 'High' };
    const both = errorsOf(spec([{ hub: 'priority', remote: 'fields.priority.name', valueMap: manyToOne }]));
    expect(both).toMatchObject([{ path: 'fields[0].valueMap', code: 'not_invertible' }]);
    expect(both[0]?.message).toMatch(/"low" and "medium" to "Low"/);
    expect(errorsOf(spec([{ hub: 'priority', remote: 'fields.priority.name', valueMap: manyToOne }], { direction: 'in' })))
      .toMatchObject([{ code: 'not_invertible' }]);
    // Outbound only, or with an explicit way back, many-to-one is fine.
    expect(errorsOf(spec([{ hub: 'priority', remote: 'fields.priority.name', valueMap: manyToOne }], { direction: 'out' }))).toEqual([]);
    expect(errorsOf(spec([{ hub: 'priority', remote: 'fields.priority.name', valueMap: manyToOne, toHub: '$lowercase($value)' }]))).toEqual([]);
  });

  it('allows a one-sided expression only in its own direction', () => {
    expect(errorsOf(spec([{ hub: 'title', remote: 'fields.summary', toRemote: '$trim($value)' }], { direction: 'out' }))).toEqual([]);
    expect(errorsOf(spec([{ hub: 'title', remote: 'fields.summary', toHub: '$trim($value)' }], { direction: 'in' }))).toEqual([]);
    expect(errorsOf(spec([{ hub: 'title', remote: 'fields.summary', toHub: '$trim($value)' }], { direction: 'out' })))
      .toMatchObject([{ path: 'fields[0].toHub', code: 'direction_mismatch' }]);
    expect(errorsOf(spec([{ hub: 'title', remote: 'fields.summary', toRemote: '$trim($value)' }], { direction: 'in' })))
      .toMatchObject([{ path: 'fields[0].toRemote', code: 'direction_mismatch' }]);
  });

  it('refuses toRemote together with a value map', () => {
    expect(errorsOf(spec([{ hub: 'priority', remote: 'fields.priority.name', valueMap: { low: 'Low' }, toRemote: '$value', toHub: '$value' }])))
      .toMatchObject([{ path: 'fields[0].valueMap', code: 'ambiguous_transform' }]);
  });

  it('checks value map keys against the hub field and values against the remote field', () => {
    const errors = errorsOf(spec([
      { hub: 'priority', remote: 'fields.priority.name', valueMap: { low: 'Low', urgent: 'Highest', high: 3 } },
    ], { direction: 'out' }));
    expect(errors).toMatchObject([
      { path: 'fields[0].valueMap', code: 'type_mismatch' },
      { path: 'fields[0].valueMap.high', code: 'type_mismatch' },
    ]);
    expect(errors[0]?.message).toMatch(/"urgent" is not one of/);
    expect(errors[1]?.message).toMatch(/3 is not a string/);
  });

  it('checks defaults against the hub field', () => {
    const errors = errorsOf(spec([{ hub: 'percentComplete', remote: 'fields.timeoriginalestimate', toRemote: '$value', toHub: '$value', default: 'none' }]));
    expect(errors).toMatchObject([{ path: 'fields[0].default', code: 'type_mismatch' }]);
  });

  it('reports two fields writing the same or overlapping targets', () => {
    const errors = errorsOf(spec([
      { hub: 'title', remote: 'fields.summary' },
      { hub: 'description', remote: 'fields.summary' },
      { hub: 'title', remote: 'fields.description' },
      { hub: 'owners', remote: 'fields.labels', toRemote: '$value.email', toHub: '$value' },
      { hub: 'owners[0].email', remote: 'fields.assignee.accountId' },
    ]));
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ['fields[1].remote', 'duplicate_target'],
      ['fields[2].hub', 'duplicate_target'],
      ['fields[4].hub', 'duplicate_target'],
    ]);
    expect(errors[2]?.message).toMatch(/overlaps with fields\[3\]/);
  });

  it('lets one source feed several targets and, in one-way specs, checks only the written side', () => {
    expect(errorsOf(spec([
      { hub: 'title', remote: 'fields.summary' },
      { hub: 'title', remote: 'fields.description' },
    ], { direction: 'out' }))).toEqual([]);
  });

  it('refuses writes to read-only fields', () => {
    const errors = errorsOf(spec([
      { hub: 'status', remote: 'fields.status.name', valueMap: { planned: 'To Do' } },
      { hub: 'id', remote: 'key' },
    ]));
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ['fields[0].remote', 'read_only_target'],
      ['fields[1].remote', 'read_only_target'],
      ['fields[1].hub', 'read_only_target'],
    ]);
    expect(errorsOf(spec([{ hub: 'status', remote: 'fields.status.name', valueMap: { planned: 'To Do' } }], { direction: 'in' }))).toEqual([]);
  });

  it('checks owner and delete policy against the direction', () => {
    const errors = errorsOf(spec([{ hub: 'title', remote: 'fields.summary', owner: 'remote' }], { direction: 'out' }));
    expect(errors).toMatchObject([{ path: 'fields[0].owner', code: 'not_applicable' }]);
    expect(errorsOf(spec([{ hub: 'title', remote: 'fields.summary' }], { direction: 'in', deletePolicy: 'delete' })))
      .toMatchObject([{ path: 'deletePolicy', code: 'not_applicable' }]);
  });

  it('checks the match paths', () => {
    const errors = errorsOf(spec([{ hub: 'title', remote: 'fields.summary' }], { match: { hub: 'tags', remote: 'nope' } }));
    expect(errors).toMatchObject([
      { path: 'match.hub', code: 'type_mismatch' },
      { path: 'match.remote', code: 'unknown_path' },
    ]);
  });

  it('reports shape problems before anything else', () => {
    expect(errorsOf({ name: 'x' })).toSatisfy((errors: MappingIssue[]) => errors.length > 0 && errors.every((e) => e.code === 'invalid_shape'));
  });
});
