import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionsCollection, webhookRoutesCollection } from '../../core/connections/index.ts';
import { mappingsCollection, mappingVersionsCollection } from '../../core/mapping-store/index.ts';
import { startRestFake, type RestFake } from '../fakes/rest/index.ts';
import { keysFor, restConnectionBody } from './connection-fixture.ts';
import { mappingSetup, milestoneSpec, type MappingOut, type Problem } from './mapping-fixture.ts';

let fake: RestFake;
beforeAll(async () => {
  fake = await startRestFake();
});
afterAll(() => fake.close());

interface PreviewOut {
  results: Array<{ output?: Record<string, unknown>; errors: Array<{ path: string; code: string }>; skipped: boolean; diff?: Array<{ path: string; op: string; from?: unknown; to?: unknown }> }>;
  records?: Array<Record<string, unknown>>;
}

const milestone = { title: 'Structure complete', dueDate: '2025-06-30', priority: 'critical', payment: { amount: 12_345_600 }, tags: ['civil', 'phase-2'] };
const task = { name: 'Structure complete', due_on: '2025-06-30', priority: 'Urgent', amount_rupees: 123_456, labels: ['civil', 'phase-2'] };

describe('POST /v1/mappings/preview (unsaved spec)', () => {
  it('maps hub records out and remote records in, reporting per-record errors', async () => {
    const { post, connectionId } = await mappingSetup(fake.url);
    const out = await post('/v1/mappings/preview', { spec: milestoneSpec(connectionId), direction: 'out', records: [milestone, { dueDate: '2025-07-01' }] });
    expect(out.status).toBe(200);
    const body = (await out.json()) as PreviewOut;
    expect(body.results[0]).toEqual({ output: task, errors: [], skipped: false });
    expect(body.results[1]).toMatchObject({ errors: [{ path: 'fields[0]', code: 'required_missing' }], output: { due_on: '2025-07-01' } });
    const back = (await (await post('/v1/mappings/preview', { spec: milestoneSpec(connectionId), direction: 'in', records: [task] })).json()) as PreviewOut;
    expect(back.results[0]!.output).toEqual(milestone);
  });

  it('diffs each output against the current target record, field by mapped field', async () => {
    const { post, connectionId } = await mappingSetup(fake.url);
    const current = { id: 'c_9', name: 'Structure', due_on: '2025-06-30', priority: 'High', labels: ['civil'], email: 'untouched@example.in' };
    const res = await post('/v1/mappings/preview', {
      spec: milestoneSpec(connectionId),
      direction: 'out',
      records: [{ ...milestone, dueDate: null }, milestone],
      current: [current, null],
    });
    const { results } = (await res.json()) as PreviewOut;
    expect(results[0]!.diff).toEqual([
      { path: 'name', op: 'replace', from: 'Structure', to: 'Structure complete' },
      { path: 'due_on', op: 'remove', from: '2025-06-30' },
      { path: 'priority', op: 'replace', from: 'High', to: 'Urgent' },
      { path: 'amount_rupees', op: 'add', to: 123_456 },
      { path: 'labels', op: 'replace', from: ['civil'], to: ['civil', 'phase-2'] },
    ]);
    // No linked record: every mapped value is an addition.
    expect(results[1]!.diff!.map((d) => d.op)).toEqual(['add', 'add', 'add', 'add', 'add']);
  });

  it('takes YAML, refuses a direction the spec does not map, and locates spec errors under spec.', async () => {
    const { post, postYaml, connectionId } = await mappingSetup(fake.url);
    const yaml = `spec:\n  connectionId: ${connectionId}\n  hubObject: milestone\n  remoteObject: contacts\n  direction: out\n  fields:\n    - { hub: title, remote: name }\ndirection: out\nrecords:\n  - { title: From YAML }\n`;
    expect(await (await postYaml('/v1/mappings/preview', yaml)).json()).toMatchObject({ results: [{ output: { name: 'From YAML' } }] });
    const wrongWay = await post('/v1/mappings/preview', { spec: milestoneSpec(connectionId, { direction: 'out', match: undefined }), direction: 'in', records: [task] });
    expect(wrongWay.status).toBe(422);
    const badSpec = await post('/v1/mappings/preview', { spec: milestoneSpec(connectionId, { fields: [{ hub: 'title', remote: 'nmae' }] }), direction: 'out', records: [milestone] });
    expect(((await badSpec.json()) as Problem).errors).toEqual([expect.objectContaining({ path: 'spec.fields[0].remote', code: 'unknown_path' })]);
    const badEnvelope = await post('/v1/mappings/preview', { spec: milestoneSpec(connectionId), direction: 'out', records: [] });
    expect(badEnvelope.status).toBe(400);
    expect(((await badEnvelope.json()) as Problem).errors).toEqual([expect.objectContaining({ path: 'body.records' })]);
  });

  it('round-trips any record a two-way mapping covers: out and back gives the same hub fields', async () => {
    const { post, connectionId } = await mappingSetup(fake.url);
    const spec = milestoneSpec(connectionId);
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
    const record = fc.record(
      {
        title: fc.string({ minLength: 1, maxLength: 40 }),
        dueDate: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
        priority: fc.constantFrom('low', 'medium', 'high', 'critical'),
        payment: fc.record({ amount: fc.integer({ min: 0, max: 10_000_000_000 }) }),
        tags: fc.array(word, { maxLength: 4 }),
      },
      { requiredKeys: ['title'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 5 }), async (records) => {
        const out = (await (await post('/v1/mappings/preview', { spec, direction: 'out', records })).json()) as PreviewOut;
        const remote = out.results.map((r) => r.output);
        const back = (await (await post('/v1/mappings/preview', { spec, direction: 'in', records: remote })).json()) as PreviewOut;
        expect(back.results.map((r) => r.output)).toEqual(records);
      }),
      { numRuns: 25 },
    );
  });
});

describe('POST /v1/mappings/{id}/preview (stored mapping)', () => {
  it('maps sample records with the active version, or a named one', async () => {
    const { post, connectionId } = await mappingSetup(fake.url);
    const m = (await (await post('/v1/mappings', milestoneSpec(connectionId))).json()) as MappingOut;
    await post(`/v1/mappings/${m.id}/versions`, milestoneSpec(connectionId, { fields: [{ hub: 'title', remote: 'name', toRemote: '$uppercase($value)', toHub: '$lowercase($value)' }] }));
    const active = (await (await post(`/v1/mappings/${m.id}/preview`, { direction: 'out', records: [milestone] })).json()) as PreviewOut;
    expect(active.results[0]!.output).toEqual({ name: 'STRUCTURE COMPLETE' });
    const first = (await (await post(`/v1/mappings/${m.id}/preview`, { direction: 'out', records: [milestone], version: 1 })).json()) as PreviewOut;
    expect(first.results[0]!.output).toEqual(task);
    const diffed = (await (await post(`/v1/mappings/${m.id}/preview`, { direction: 'in', records: [task], current: [{ title: 'Old title', status: 'planned' }] })).json()) as PreviewOut;
    expect(diffed.results[0]!.diff).toEqual([{ path: 'title', op: 'replace', from: 'Old title', to: 'structure complete' }]);
    expect((await post(`/v1/mappings/${m.id}/preview`, { direction: 'out', records: [milestone], live: 2 })).status).toBe(400);
    expect((await post(`/v1/mappings/${m.id}/preview`, { direction: 'out', records: [milestone], version: 7 })).status).toBe(404);
  });

  it('pulls N live records through the connection, maps them in, and writes nothing anywhere', async () => {
    const { post, services, t, call } = await mappingSetup(fake.url);
    const body = restConnectionBody(fake.url);
    // An OAuth2 connection: the preview obtains a token, which must not be written back.
    const conn = (await (await post('/v1/connections', { ...body, config: { ...body.config, auth: { type: 'oauth2-client-credentials', tokenUrl: fake.tokenUrl } }, credentials: { clientId: 'fake-client', clientSecret: 'fake-client-secret' } })).json()) as { id: string; version: number };
    fake.seed('contacts', [
      { name: 'Foundation', due_on: '2025-04-15', priority: 'High', amount_rupees: 250_000, labels: ['civil'] },
      { name: 'Structure', due_on: '2025-06-30', priority: 'Urgent', amount_rupees: 500_000.5 },
      { name: 'Finishing', priority: 'Low' },
      { name: 'Handover' },
    ]);
    const m = (await (await post('/v1/mappings', milestoneSpec(conn.id))).json()) as MappingOut;
    const db = services.store.forTenant(t.id);
    const counts = async () => [
      await db.collection(connectionsCollection).count(),
      await db.collection(mappingsCollection).count(),
      await db.collection(mappingVersionsCollection).count(),
      await services.store.platform(webhookRoutesCollection).count(),
    ];
    const before = await counts();
    const connBefore = await db.collection(connectionsCollection).findById(conn.id);
    const requestsBefore = fake.requests.length;

    const res = await post(`/v1/mappings/${m.id}/preview`, { direction: 'in', live: 3 });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as PreviewOut;
    expect(preview.records).toHaveLength(3);
    expect(preview.records![0]).toMatchObject({ id: expect.any(String), name: expect.any(String) });
    expect(preview.results).toHaveLength(3);
    for (const [i, r] of preview.results.entries()) expect(r.output?.title, `record ${i}`).toBe(preview.records![i]!.name);

    expect(await counts()).toEqual(before);
    const connAfter = await db.collection(connectionsCollection).findById(conn.id);
    expect(connAfter!.version).toBe(connBefore!.version);
    expect(connAfter!.credentials).toBe(connBefore!.credentials);
    const made = fake.requests.slice(requestsBefore);
    expect(made.filter((r) => r.path !== '/oauth/token').every((r) => r.method === 'GET')).toBe(true);
    expect((await call('GET', `/v1/mappings/${m.id}`, { key: t.key })).status).toBe(200);
  });

  it('answers vendor throttling with 429, and refuses live previews that cannot work', async () => {
    const { post, call, t, connectionId } = await mappingSetup(fake.url);
    const m = (await (await post('/v1/mappings', milestoneSpec(connectionId))).json()) as MappingOut;
    fake.failNext({ status: 429, retryAfter: '30', pathPrefix: '/api/contacts' });
    const limited = await post(`/v1/mappings/${m.id}/preview`, { direction: 'in', live: 2 });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    const outward = await post(`/v1/mappings/${m.id}/preview`, { direction: 'out', live: 2 });
    expect(outward.status).toBe(422);
    const keys = await keysFor(call, t.key);
    expect((await post(`/v1/mappings/${m.id}/preview`, { direction: 'in', live: 2 }, keys.manager)).status).toBe(403);

    const hooks = (await (await post('/v1/connections', { connector: 'webhook', name: 'Hooks', config: { scheme: 'github' } })).json()) as { id: string };
    const inbound = (await (await post('/v1/mappings', { connectionId: hooks.id, hubObject: 'milestone', remoteObject: 'event', direction: 'in', fields: [{ hub: 'title', remote: 'data.title' }] })).json()) as MappingOut;
    const noPull = await post(`/v1/mappings/${inbound.id}/preview`, { direction: 'in', live: 1 });
    expect(noPull.status).toBe(422);
    const sample = (await (await post(`/v1/mappings/${inbound.id}/preview`, { direction: 'in', records: [{ id: 'evt_1', type: 'x', data: { title: 'From an event' } }] })).json()) as PreviewOut;
    expect(sample.results[0]!.output).toEqual({ title: 'From an event' });
  });
});
