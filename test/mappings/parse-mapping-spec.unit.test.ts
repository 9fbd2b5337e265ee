import { describe, expect, it } from 'vitest';
import { parseMappingSpec } from '../../mappings/index.ts';

const yamlSpec = `
connectionId: conn_1
name: Milestones to Jira
hubObject: milestone
remoteObject: issue
direction: out
fields:
  - { hub: title, remote: fields.summary }
  - hub: status
    remote: fields.status.name
    valueMap: { planned: To Do, done: Done }
`;

describe('parseMappingSpec', () => {
  it('parses YAML and applies the default delete policy', () => {
    const result = parseMappingSpec(yamlSpec, 'application/yaml; charset=utf-8');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec.deletePolicy).toBe('ignore');
    expect(result.spec.fields[1]?.valueMap).toEqual({ planned: 'To Do', done: 'Done' });
  });

  it('parses JSON', () => {
    const json = JSON.stringify({
      connectionId: 'c', name: 'n', hubObject: 'milestone', remoteObject: 'issue', direction: 'both',
      deletePolicy: 'close', fields: [{ hub: 'title', remote: 'fields.summary', owner: 'remote' }],
    });
    const result = parseMappingSpec(json, 'application/json');
    expect(result).toMatchObject({ ok: true, spec: { deletePolicy: 'close', direction: 'both' } });
  });

  it('reports a YAML syntax error with its line and column', () => {
    const broken = 'connectionId: c\nname: n\nfields:\n  - { hub: title, remote: fields.summary\n';
    const result = parseMappingSpec(broken, 'text/yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ code: 'invalid_syntax', path: '' });
    expect(result.errors[0]?.line).toBeGreaterThanOrEqual(4);
    expect(result.errors[0]?.message).toMatch(/^YAML /);
  });

  it('reports duplicate YAML keys as a syntax error', () => {
    const result = parseMappingSpec('name: a\nname: b\n', 'application/yaml');
    expect(result).toMatchObject({ ok: false, errors: [{ code: 'invalid_syntax' }] });
  });

  it('reports a JSON syntax error with its position', () => {
    const result = parseMappingSpec('{"name": "x",, }', 'application/json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ code: 'invalid_syntax', position: 13, line: 1, column: 14 });
  });

  it('reports every shape problem with a path', () => {
    const result = parseMappingSpec(JSON.stringify({
      connectionId: 'c', name: 'n', hubObject: 'milestone', remoteObject: 'issue', direction: 'sideways',
      fields: [{ hub: 'title', remote: 'fields.summary', toremote: '$value' }, { hub: 'x' }],
    }), 'application/json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.errors.map((e) => [e.path, e]));
    expect(result.errors.every((e) => e.code === 'invalid_shape')).toBe(true);
    expect(byPath.direction).toBeDefined();
    expect(byPath['fields[0]']?.message).toMatch(/toremote/);
    expect(byPath['fields[1].remote']).toBeDefined();
  });

  it('refuses an empty field list and a non-object document', () => {
    const empty = parseMappingSpec('{"connectionId":"c","name":"n","hubObject":"h","remoteObject":"r","direction":"in","fields":[]}', 'application/json');
    expect(empty).toMatchObject({ ok: false, errors: [{ path: 'fields', code: 'invalid_shape' }] });
    expect(parseMappingSpec('- just\n- a list\n', 'application/yaml')).toMatchObject({ ok: false, errors: [{ code: 'invalid_shape' }] });
  });

  it('refuses a media type that is neither JSON nor YAML', () => {
    expect(parseMappingSpec('<xml/>', 'application/xml')).toMatchObject({ ok: false, errors: [{ code: 'unsupported_media_type' }] });
  });
});
