import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createConnectorRegistry, defineConnector, connectorRegistry } from '../../connectors/index.ts';
import { createApp } from '../../api/index.ts';
import { mappingsCollection, mappingVersionsCollection } from '../../core/mapping-store/index.ts';
import { starterRemoteSchema } from '../../mappings/index.ts';
import { startRestFake, type RestFake } from '../fakes/rest/index.ts';
import { testServices } from '../helpers/test-services.ts';
import { keysFor } from './connection-fixture.ts';
import { mappingSetup, milestoneSpec, type MappingOut, type Problem } from './mapping-fixture.ts';

let fake: RestFake;
beforeAll(async () => {
  fake = await startRestFake();
});
afterAll(() => fake.close());

describe('POST /v1/mappings', () => {
  it('creates a mapping from JSON; version 1 is active and the spec comes back with defaults', async () => {
    const { post, connectionId } = await mappingSetup(fake.url);
    const res = await post('/v1/mappings', milestoneSpec(connectionId));
    expect(res.status).toBe(201);
    const m = (await res.json()) as MappingOut;
    expect(m).toMatchObject({ id: expect.stringMatching(/^map_/), connectionId, name: 'Milestones ↔ tasks', direction: 'both', activeVersion: 1, latestVersion: 1 });
    expect(m.spec).toMatchObject({ deletePolicy: 'ignore', fields: expect.arrayContaining([expect.objectContaining({ hub: 'title' })]) });
  });

  it('creates a mapping from YAML and keeps the text as sent, comments included', async () => {
    const { postYaml, get, connectionId } = await mappingSetup(fake.url);
    const text = `# Tasks mirror milestones one way.
connectionId: ${connectionId}
hubObject: milestone
remoteObject: contacts
direction: out
fields:
  - { hub: title, remote: name, required: true }   # the task title
  - hub: priority
    remote: priority
    valueMap: { low: Low, high: High }
  # Value-map keys may hold dots; stored field names may not.
  - hub: description
    remote: email
    valueMap: { "ops.team": ops@example.in, "a$b": ab@example.in }
`;
    const res = await postYaml('/v1/mappings', text);
    expect(res.status).toBe(201);
    const m = (await res.json()) as MappingOut;
    // No name: it defaults from the two objects.
    expect(m.name).toBe('milestone ↔ contacts');
    expect(m.spec!.fields[2].valueMap).toEqual({ 'ops.team': 'ops@example.in', a$b: 'ab@example.in' });
    const v1 = (await (await get(`/v1/mappings/${m.id}/versions/1`)).json()) as { source: { mediaType: string; text: string }; spec: unknown };
    expect(v1.source).toEqual({ mediaType: 'application/yaml', text });
  });

  describe('answers 422 naming each kind of mapping error', () => {
    const expectErrors = async (res: Response, expected: Array<Partial<{ path: string; code: string; position: number; line: number; column: number }>>) => {
      expect(res.status).toBe(422);
      const body = (await res.json()) as Problem;
      expect(body.code).toBe('unprocessable');
      expect(body.errors).toEqual(expected.map((e) => expect.objectContaining(e)));
      return body;
    };

    it('syntax: YAML with line and column, JSON with position', async () => {
      const { postYaml, call, t } = await mappingSetup(fake.url);
      await expectErrors(await postYaml('/v1/mappings', 'connectionId: x\nfields:\n  - hub: title\n   remote: name\n'), [{ code: 'invalid_syntax', line: 4, column: expect.any(Number) as unknown as number }]);
      await expectErrors(await call('POST', '/v1/mappings', { key: t.key, body: '{"connectionId": "x", }' }), [{ code: 'invalid_syntax', position: expect.any(Number) as unknown as number }]);
    });

    it('shape: missing and unknown keys', async () => {
      const { post, connectionId } = await mappingSetup(fake.url);
      const body = await expectErrors(await post('/v1/mappings', { connectionId, hubObject: 'milestone', remoteObject: 'contacts', direction: 'sideways', fields: [{ hub: 'title' }], colour: 'red' }), [
        { path: 'direction', code: 'invalid_shape' },
        { path: 'fields[0].remote', code: 'invalid_shape' },
        { path: '', code: 'invalid_shape' },
      ]);
      expect(body.errors![2]!.message).toMatch(/colour/);
    });

    it('references: unknown connection, hub object and remote object', async () => {
      const { post, connectionId } = await mappingSetup(fake.url);
      await expectErrors(await post('/v1/mappings', milestoneSpec('conn_00000000000000000000000000')), [{ path: 'connectionId', code: 'unknown_connection' }]);
      await expectErrors(await post('/v1/mappings', milestoneSpec(connectionId, { hubObject: 'widget', remoteObject: 'deals' })), [
        { path: 'hubObject', code: 'unknown_object' },
        { path: 'remoteObject', code: 'unknown_object' },
      ]);
    });

    it('fields: unknown paths, type mismatches, read-only targets, bad JSONata with its position', async () => {
      const { post, connectionId } = await mappingSetup(fake.url);
      const res = await post('/v1/mappings', milestoneSpec(connectionId, {
        direction: 'out',
        match: undefined,
        fields: [
          { hub: 'title', remote: 'nmae' },
          { hub: 'percentComplete', remote: 'email' },
          { hub: 'title', remote: 'updated_at' },
          { hub: 'payment.amount', remote: 'amount_rupees', toRemote: '$value / ' },
          { hub: 'dueDate', remote: 'due_on[' },
        ],
      }));
      const body = await expectErrors(res, [
        { path: 'fields[0].remote', code: 'unknown_path' },
        { path: 'fields[1]', code: 'type_mismatch' },
        { path: 'fields[2].remote', code: 'read_only_target' },
        { path: 'fields[2]', code: 'type_mismatch' },
        { path: 'fields[3].toRemote', code: 'invalid_expression', position: 9 },
        { path: 'fields[4].remote', code: 'invalid_path' },
      ]);
      expect(body.errors![0]!.message).toMatch(/nmae/);
    });

    it('two-way rules: not invertible, duplicate targets, ambiguous transforms, direction mismatches', async () => {
      const { post, connectionId } = await mappingSetup(fake.url);
      await expectErrors(await post('/v1/mappings', milestoneSpec(connectionId, { fields: [{ hub: 'title', remote: 'name', toRemote: '$uppercase($value)' }] })), [
        { path: 'fields[0].toHub', code: 'not_invertible' },
      ]);
      // A plain copy both ways must fit both ways: rupees (number) do not fit paise (integer).
      await expectErrors(await post('/v1/mappings', milestoneSpec(connectionId, { fields: [{ hub: 'payment.amount', remote: 'amount_rupees' }] })), [
        { path: 'fields[0]', code: 'type_mismatch' },
      ]);
      await expectErrors(await post('/v1/mappings', milestoneSpec(connectionId, { fields: [{ hub: 'priority', remote: 'priority', valueMap: { low: 'Low', medium: 'Low' } }] })), [
        { path: 'fields[0].valueMap', code: 'not_invertible' },
      ]);
      await expectErrors(await post('/v1/mappings', milestoneSpec(connectionId, { direction: 'out', match: undefined, fields: [{ hub: 'title', remote: 'name' }, { hub: 'description', remote: 'name' }] })), [
        { path: 'fields[1].remote', code: 'duplicate_target' },
      ]);
      await expectErrors(await post('/v1/mappings', milestoneSpec(connectionId, { direction: 'out', match: undefined, fields: [{ hub: 'priority', remote: 'priority', valueMap: { low: 'Low' }, toRemote: '"High"' }] })), [
        { path: 'fields[0].valueMap', code: 'ambiguous_transform' },
      ]);
      await expectErrors(await post('/v1/mappings', milestoneSpec(connectionId, { direction: 'out', match: undefined, fields: [{ hub: 'title', remote: 'name', toHub: '$value' }] })), [
        { path: 'fields[0].toHub', code: 'direction_mismatch' },
      ]);
    });
  });
});

describe('versions', () => {
  it('adds immutable versions, diffs them, activates and rolls back', async () => {
    const { post, get, connectionId } = await mappingSetup(fake.url);
    const m = (await (await post('/v1/mappings', milestoneSpec(connectionId))).json()) as MappingOut;
    const v2spec = milestoneSpec(connectionId, {
      fields: [
        { hub: 'title', remote: 'name', required: true },
        { hub: 'dueDate', remote: 'due_on', owner: 'remote' },
        { hub: 'priority', remote: 'priority', valueMap: { low: 'Low', medium: 'Medium', high: 'High', critical: 'Urgent' } },
        { hub: 'percentComplete', remote: 'done_percent' },
      ],
    });
    const res = await post(`/v1/mappings/${m.id}/versions`, v2spec);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ activeVersion: 2, latestVersion: 2, previousActiveVersion: 1, spec: { fields: expect.arrayContaining([expect.objectContaining({ hub: 'percentComplete' })]) } });

    const list = (await (await get(`/v1/mappings/${m.id}/versions`)).json()) as { items: Array<{ version: number; active: boolean }> };
    expect(list.items.map((v) => [v.version, v.active])).toEqual([[1, false], [2, true]]);
    const v1 = (await (await get(`/v1/mappings/${m.id}/versions/1`)).json()) as { spec: { fields: unknown[] } };
    expect(v1.spec.fields).toHaveLength(5);

    const diff = (await (await get(`/v1/mappings/${m.id}/diff?from=1&to=2`)).json()) as { from: number; to: number; diff: Record<string, any> };
    expect(diff).toMatchObject({ from: 1, to: 2 });
    expect(diff.diff.added).toEqual([{ hub: 'percentComplete', remote: 'done_percent' }]);
    expect(diff.diff.removed).toEqual([{ hub: 'payment.amount', remote: 'amount_rupees' }, { hub: 'tags', remote: 'labels' }]);
    expect(diff.diff.changed).toEqual([{ hub: 'dueDate', remote: 'due_on', settings: ['owner'] }]);
    expect(diff.diff.affectedHubFields).toEqual(['dueDate', 'payment.amount', 'percentComplete', 'tags']);
    expect(diff.diff.resyncAll).toBe(false);
    // Defaults: the active version against the one before it.
    expect(await (await get(`/v1/mappings/${m.id}/diff`)).json()).toMatchObject({ from: 1, to: 2 });

    const back = await post(`/v1/mappings/${m.id}/rollback`, {});
    expect(await back.json()).toMatchObject({ activeVersion: 1, previousActiveVersion: 2, spec: { fields: expect.arrayContaining([expect.objectContaining({ hub: 'tags' })]) } });
    const notEarlier = await post(`/v1/mappings/${m.id}/rollback`, { version: 2 });
    expect(notEarlier.status).toBe(422);
    const forward = await post(`/v1/mappings/${m.id}/activate`, { version: 2 });
    expect(await forward.json()).toMatchObject({ activeVersion: 2 });
    expect((await post(`/v1/mappings/${m.id}/activate`, { version: 9 })).status).toBe(404);
    const again = await post(`/v1/mappings/${m.id}/rollback`, { version: 1 });
    expect(await again.json()).toMatchObject({ activeVersion: 1 });
    expect(await (await get(`/v1/mappings/${m.id}`)).json()).toMatchObject({ activeVersion: 1, latestVersion: 2 });
  });

  it('stages a version with ?activate=false, keeps a mapping on its connection, and records activations for sync', async () => {
    const { post, get, connectionId, services, t } = await mappingSetup(fake.url);
    const m = (await (await post('/v1/mappings', milestoneSpec(connectionId))).json()) as MappingOut;
    const staged = await post(`/v1/mappings/${m.id}/versions?activate=false`, milestoneSpec(connectionId, { name: 'Staged' }));
    expect(await staged.json()).toMatchObject({ activeVersion: 1, latestVersion: 2 });
    expect(await (await get(`/v1/mappings/${m.id}`)).json()).toMatchObject({ activeVersion: 1, spec: { name: 'Milestones ↔ tasks' } });
    const other = (await (await post('/v1/connections', { connector: 'webhook', name: 'Hooks', config: { scheme: 'github' } })).json()) as { id: string };
    const moved = await post(`/v1/mappings/${m.id}/versions`, milestoneSpec(other.id));
    expect(moved.status).toBe(422);
    await post(`/v1/mappings/${m.id}/activate`, { version: 2 });
    const doc = await services.store.forTenant(t.id).collection(mappingsCollection).findById(m.id);
    expect(doc!.outbox!.map((e) => [e.type, e.fromVersion, e.toVersion, e.reason])).toEqual([
      ['mapping.activated', undefined, 1, 'created'],
      ['mapping.activated', 1, 2, 'activated'],
    ]);
  });

  it('lists mappings, filters by connection, deletes softly', async () => {
    const { post, get, call, t, connectionId, services } = await mappingSetup(fake.url);
    const a = (await (await post('/v1/mappings', milestoneSpec(connectionId))).json()) as MappingOut;
    const b = (await (await post('/v1/mappings', milestoneSpec(connectionId, { direction: 'in', match: undefined, fields: [{ hub: 'title', remote: 'name' }] }))).json()) as MappingOut;
    expect(((await (await get(`/v1/mappings?connectionId=${connectionId}`)).json()) as { items: MappingOut[] }).items.map((m) => m.id)).toEqual([a.id, b.id]);
    expect((await call('DELETE', `/v1/mappings/${a.id}`, { key: t.key })).status).toBe(204);
    expect((await get(`/v1/mappings/${a.id}`)).status).toBe(404);
    expect(((await (await get('/v1/mappings')).json()) as { items: MappingOut[] }).items.map((m) => m.id)).toEqual([b.id]);
    expect(await services.store.forTenant(t.id).collection(mappingVersionsCollection).count({ mappingId: a.id })).toBe(1);
  });
});

describe('starter mappings', () => {
  const jiraStandIn = defineConnector({
    id: 'jira',
    displayName: 'Jira (test stand-in)',
    configSchema: z.strictObject({ baseUrl: z.url() }),
    credentialsSchema: z.strictObject({}),
    objects: { issue: { schema: starterRemoteSchema('jira', 'issue')! } },
    check: async () => ({ ok: true }),
  });

  it('lists the shipped starters and installs one on a connection of its connector', async () => {
    // The stand-in replaces any real jira connector, so this test needs no Jira config or fake.
    const registry = createConnectorRegistry([...connectorRegistry.list().filter((c) => c.id !== 'jira'), jiraStandIn]);
    const services = Object.assign(testServices(), { connectors: registry });
    const app = createApp(services);
    const { createTenant } = await import('../../core/tenancy/index.ts');
    const created = await createTenant(services.store, { slug: 'acme', name: 'Acme' });
    if (!created.ok) throw new Error(created.error);
    const key = created.apiKey;
    const call = (method: string, path: string, body?: unknown) =>
      app.request(path, { method, headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });

    const starters = (await (await call('GET', '/v1/mappings/starters')).json()) as { items: Array<{ name: string; connector: string; available: boolean }> };
    expect(starters.items.map((s) => s.name)).toEqual(expect.arrayContaining(['milestone-jira-issue', 'milestone-salesforce-opportunity', 'invoice-quickbooks-invoice']));
    expect(starters.items.find((s) => s.name === 'milestone-jira-issue')).toMatchObject({ connector: 'jira', available: true });
    for (const s of starters.items) expect(s.available, s.name).toBe(registry.get(s.connector) !== undefined);

    const jira = (await (await call('POST', '/v1/connections', { connector: 'jira', name: 'Jira', config: { baseUrl: 'https://acme.atlassian.net' } })).json()) as { id: string };
    const installed = await call('POST', '/v1/mappings/starters/milestone-jira-issue/install', { connectionId: jira.id });
    expect(installed.status).toBe(201);
    expect(await installed.json()).toMatchObject({ connectionId: jira.id, hubObject: 'milestone', remoteObject: 'issue', direction: 'both', activeVersion: 1, spec: { connectionId: jira.id } });

    const hooks = (await (await call('POST', '/v1/connections', { connector: 'webhook', name: 'Hooks', config: { scheme: 'github' } })).json()) as { id: string };
    const mismatch = await call('POST', '/v1/mappings/starters/milestone-jira-issue/install', { connectionId: hooks.id });
    expect(mismatch.status).toBe(422);
    expect(((await mismatch.json()) as Problem).errors).toEqual([expect.objectContaining({ path: 'connectionId', code: 'connector_mismatch' })]);
    expect((await call('POST', '/v1/mappings/starters/no-such-starter/install', { connectionId: jira.id })).status).toBe(404);
  });
});

describe('access', () => {
  it('lets admins write, managers and integrations read, and hides other tenants', async () => {
    const { post, get, call, t, connectionId, tenant } = await mappingSetup(fake.url);
    const m = (await (await post('/v1/mappings', milestoneSpec(connectionId))).json()) as MappingOut;
    const keys = await keysFor(call, t.key);
    for (const role of ['manager', 'integration']) {
      expect((await get(`/v1/mappings/${m.id}`, keys[role])).status, role).toBe(200);
      expect((await get(`/v1/mappings/${m.id}/versions`, keys[role])).status, role).toBe(200);
      expect((await get('/v1/mappings/starters', keys[role])).status, role).toBe(200);
      expect((await post('/v1/mappings', milestoneSpec(connectionId), keys[role])).status, role).toBe(403);
      expect((await post(`/v1/mappings/${m.id}/rollback`, {}, keys[role])).status, role).toBe(403);
    }
    for (const role of ['viewer', 'owner']) expect((await get('/v1/mappings', keys[role])).status, role).toBe(403);
    expect((await post(`/v1/mappings/${m.id}/preview`, { direction: 'out', records: [{ title: 'x' }] }, keys.integration)).status).toBe(403);
    expect((await post(`/v1/mappings/${m.id}/preview`, { direction: 'out', records: [{ title: 'x' }] }, keys.manager)).status).toBe(200);

    const other = await tenant('beta');
    for (const [method, path, body] of [
      ['GET', `/v1/mappings/${m.id}`],
      ['GET', `/v1/mappings/${m.id}/versions`],
      ['GET', `/v1/mappings/${m.id}/versions/1`],
      ['GET', `/v1/mappings/${m.id}/diff`],
      ['POST', `/v1/mappings/${m.id}/versions`, milestoneSpec(connectionId)],
      ['POST', `/v1/mappings/${m.id}/activate`, { version: 1 }],
      ['POST', `/v1/mappings/${m.id}/rollback`, {}],
      ['POST', `/v1/mappings/${m.id}/preview`, { direction: 'out', records: [{ title: 'x' }] }],
      ['DELETE', `/v1/mappings/${m.id}`],
    ] as Array<[string, string, unknown?]>) {
      expect((await call(method, path, { key: other.key, ...(body === undefined ? {} : { body }) })).status, `${method} ${path}`).toBe(404);
    }
    // Another tenant's connection is as unknown as a missing one.
    const foreign = await call('POST', '/v1/mappings', { key: other.key, body: milestoneSpec(connectionId) });
    expect(((await foreign.json()) as Problem).errors).toEqual([expect.objectContaining({ path: 'connectionId', code: 'unknown_connection' })]);
  });
});
