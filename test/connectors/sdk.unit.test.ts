import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AuthExpiredError,
  checkRecord,
  connectorRegistry,
  createConnectorContext,
  createConnectorRegistry,
  defineConnector,
  OutboundUrlRefusedError,
  parseRetryAfter,
  RateLimitedError,
  restConnector,
  TransientVendorError,
  UnrecoverableVendorError,
  unstorableKeys,
  VendorError,
  vendorErrorFromResponse,
  WEBHOOK_SCHEMES,
  webhookConnector,
  type ConnectorDefinition,
  type WebhookScheme,
} from '../../connectors/index.ts';
import { verifierFor, verifiers } from '../../webhooks/verifiers/index.ts';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const noFetch = () => Promise.reject(new Error('no calls in this test'));

const base = {
  id: 'sample',
  displayName: 'Sample',
  configSchema: z.strictObject({ baseUrl: z.url() }),
  credentialsSchema: z.strictObject({ token: z.string().min(1) }),
  check: async () => ({ ok: true as const }),
} satisfies ConnectorDefinition<{ baseUrl: string }, { token: string }>;

describe('webhook schemes', () => {
  it('each have a verifier in the webhook pipeline, and nothing else does', () => {
    for (const scheme of WEBHOOK_SCHEMES) expect(verifierFor(scheme)?.scheme, scheme).toBe(scheme);
    expect(Object.keys(verifiers).sort()).toEqual([...WEBHOOK_SCHEMES].sort());
    expect(verifierFor('hmac-of-my-own')).toBeUndefined();
  });
});

describe('defineConnector', () => {
  it('refuses a bad definition at start-up, naming the problem', () => {
    expect(() => defineConnector({ ...base, id: 'Bad Id' })).toThrow(/id must be/);
    expect(() => defineConnector({ ...base, displayName: ' ' })).toThrow(/displayName/);
    expect(() => defineConnector({ ...base, configSchema: z.object({ at: z.date() }) as never })).toThrow(/configSchema cannot be exported as JSON Schema/);
    expect(() => defineConnector({ ...base, capabilities: { push: { operations: [], run: async () => ({ id: '1' }) } } })).toThrow(/push.operations is empty/);
    expect(() =>
      defineConnector({ ...base, capabilities: { webhook: { schemes: ['hmac-sha512' as WebhookScheme], parse: () => ({ ok: true, changes: [] }) } } }),
    ).toThrow(/unknown: hmac-sha512/);
    expect(() => defineConnector({ ...base, objects: { 'bad.name': { schema: { properties: {} } } } })).toThrow(/object name/);
    expect(() => defineConnector({ ...base, objects: { issue: { schema: { properties: { n: { type: 'integer' } } }, samples: [{ n: 1.5 }] } } })).toThrow(/samples\[0\] does not fit/);
    expect(() => defineConnector({ ...base, objects: { issue: { schema: { properties: {} }, operations: ['delete'] } } })).toThrow(/not in push.operations/);
    expect(() => defineConnector({ ...base, examples: () => [{ name: 'broken', config: { baseUrl: 'not a url' } }] })).toThrow(/example "broken"/);
  });

  it('describes itself with JSON Schemas, capabilities, objects and its webhook scheme', () => {
    const c = defineConnector({
      ...base,
      objects: { issue: { schema: { properties: { key: { type: 'string' } } }, samples: [{ key: 'PAY-1' }] } },
      rateLimits: [{ requests: 100, perSeconds: 60 }],
      capabilities: {
        pull: async () => ({ records: [], nextCursor: 'x', done: true }),
        push: { operations: ['create', 'update'], run: async () => ({ id: '1' }) },
        webhook: { schemes: ['jira'], parse: () => ({ ok: true, changes: [] }) },
      },
    });
    const d = c.describe();
    expect(d.configSchema).toMatchObject({ type: 'object', properties: { baseUrl: { type: 'string', format: 'uri' } }, required: ['baseUrl'] });
    expect(d.credentialsSchema).toMatchObject({ properties: { token: { type: 'string' } } });
    expect(d.capabilities).toEqual({ pull: true, get: false, push: ['create', 'update'], webhook: true, messages: { send: false, receive: false } });
    expect(d.objects).toEqual([{ name: 'issue', schema: { properties: { key: { type: 'string' } } }, samples: [{ key: 'PAY-1' }], operations: ['create', 'update'] }]);
    expect(d.webhookScheme).toBe('jira');
    expect(d.rateLimits).toEqual([{ requests: 100, perSeconds: 60 }]);
    expect(webhookConnector.describe()).toMatchObject({ webhookScheme: null, webhookSchemes: [...WEBHOOK_SCHEMES] });
    expect(restConnector.describe()).toMatchObject({ objectsFromConfig: true, objects: [], webhookScheme: null });
  });

  it('guards pushes: unknown objects, missing ids and refused operations are unrecoverable', async () => {
    const c = defineConnector({
      ...base,
      objects: { issue: { schema: { properties: {} } }, status: { schema: { properties: {} }, operations: ['update'] } },
      capabilities: { push: { operations: ['create', 'update', 'delete'], run: async (_ctx, r) => ({ id: r.id ?? 'new' }) } },
    });
    const made = createConnectorContext({ connector: c, config: { baseUrl: 'https://example.com' }, credentials: { token: 't' }, fetch: noFetch, logger: silent });
    if (!made.ok) throw new Error('context');
    const ctx = made.context;
    await expect(c.push!(ctx, { object: 'nope', op: 'create', data: {}, idempotencyKey: 'k' })).rejects.toBeInstanceOf(UnrecoverableVendorError);
    await expect(c.push!(ctx, { object: 'issue', op: 'update', data: {}, idempotencyKey: 'k' })).rejects.toThrow(/needs the record's id/);
    await expect(c.push!(ctx, { object: 'status', op: 'create', data: {}, idempotencyKey: 'k' })).rejects.toThrow(/does not take create/);
    await expect(c.push!(ctx, { object: 'issue', op: 'create', data: {}, idempotencyKey: '' })).rejects.toThrow(/idempotency key/);
    expect(await c.push!(ctx, { object: 'issue', op: 'delete', id: '7', idempotencyKey: 'k' })).toEqual({ id: '7' });
  });

  it('turns vendor errors thrown by check() into results and lets bugs through', async () => {
    const failing = (err: unknown) => defineConnector({ ...base, check: () => Promise.reject(err) });
    const ctxFor = (c: ReturnType<typeof defineConnector>) => {
      const made = createConnectorContext({ connector: c, config: { baseUrl: 'https://example.com' }, credentials: { token: 't' }, fetch: noFetch, logger: silent });
      if (!made.ok) throw new Error('context');
      return made.context;
    };
    const cases: Array<[unknown, string]> = [
      [new AuthExpiredError(), 'auth_failed'],
      [new UnrecoverableVendorError(403, 'forbidden'), 'auth_failed'],
      [new OutboundUrlRefusedError('private_address', 'points at 10.0.0.1'), 'refused_address'],
      [new RateLimitedError(1000), 'rate_limited'],
      [new TransientVendorError('network error (ECONNREFUSED)'), 'unreachable'],
      [new TransientVendorError('answered 502', { status: 502 }), 'vendor_error'],
      [new UnrecoverableVendorError(404, 'nope'), 'vendor_error'],
    ];
    for (const [err, code] of cases) {
      const c = failing(err);
      expect(await c.check(ctxFor(c))).toMatchObject({ ok: false, code });
    }
    const buggy = failing(new TypeError('undefined is not a function'));
    await expect(buggy.check(ctxFor(buggy))).rejects.toBeInstanceOf(TypeError);
  });
});

describe('createConnectorContext', () => {
  const c = defineConnector({ ...base, credentialsSchema: z.strictObject({ token: z.string().min(1), refreshed: z.boolean().optional() }) });

  it('validates the stored config and credentials first', () => {
    expect(createConnectorContext({ connector: c, config: { baseUrl: 'nope' }, credentials: { token: 't' }, fetch: noFetch, logger: silent })).toMatchObject({ ok: false, error: 'invalid_config', issues: [{ path: 'baseUrl' }] });
    expect(createConnectorContext({ connector: c, config: { baseUrl: 'https://x.example' }, credentials: {}, fetch: noFetch, logger: silent })).toMatchObject({ ok: false, error: 'invalid_credentials', issues: [{ path: 'token' }] });
  });

  it('saveCredentials checks, keeps and forwards refreshed credentials', async () => {
    const saved: unknown[] = [];
    const made = createConnectorContext({ connector: c, config: { baseUrl: 'https://x.example' }, credentials: { token: 'a' }, fetch: noFetch, logger: silent, saveCredentials: async (v) => void saved.push(v) });
    if (!made.ok) throw new Error('context');
    await made.context.saveCredentials({ token: 'b', refreshed: true });
    expect(made.context.credentials).toEqual({ token: 'b', refreshed: true });
    expect(saved).toEqual([{ token: 'b', refreshed: true }]);
    await expect(made.context.saveCredentials({ token: '' })).rejects.toThrow(/do not fit its schema/);
  });
});

describe('vendor errors', () => {
  const res = (status: number, headers: Record<string, string> = {}, body = '{"error":"x"}') => new Response(body, { status, headers });
  const now = new Date('2025-04-01T00:00:00Z');

  it('maps statuses to the named errors the queues act on', async () => {
    expect(await vendorErrorFromResponse(res(200))).toBeUndefined();
    const limited = await vendorErrorFromResponse(res(429, { 'retry-after': '7' }), { now });
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ retryAfterMs: 7000, retryable: true, status: 429 });
    expect(await vendorErrorFromResponse(res(401))).toBeInstanceOf(AuthExpiredError);
    for (const s of [408, 425, 500, 502, 503, 504]) expect(await vendorErrorFromResponse(res(s)), String(s)).toBeInstanceOf(TransientVendorError);
    expect(await vendorErrorFromResponse(res(503, { 'retry-after': '2' }))).toMatchObject({ retryAfterMs: 2000 });
    const refused = await vendorErrorFromResponse(res(400, {}, 'x'.repeat(5000)));
    expect(refused).toBeInstanceOf(UnrecoverableVendorError);
    expect(refused).toMatchObject({ status: 400, retryable: false });
    expect((refused as UnrecoverableVendorError).body.length).toBeLessThanOrEqual(2001);
    for (const e of [limited, refused]) expect(e).toBeInstanceOf(VendorError);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Tue, 01 Apr 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 31 Mar 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('999999999', now)).toBe(24 * 3600 * 1000);
  });
});

describe('checkRecord', () => {
  const schema = {
    properties: {
      key: { type: 'string' as const, required: true },
      n: { type: 'integer' as const },
      due: { type: 'date' as const },
      status: { type: 'string' as const, enum: ['open', 'done'] },
      fields: { type: 'object' as const, properties: { labels: { type: 'array' as const, items: { type: 'string' as const } } } },
      custom: { type: 'object' as const },
    },
  };
  it('reports wrong types, enum misses and missing required fields; allows extra fields and nulls', () => {
    expect(checkRecord(schema, { key: 'A', n: 2, due: '2025-04-30', status: 'open', fields: { labels: ['x'] }, custom: { any: 1 }, extra: true, n2: null })).toEqual([]);
    expect(checkRecord(schema, { key: 'A', due: '2025-03-31T12:05:11+0530' })).toEqual([]);
    expect(checkRecord(schema, { n: 1.5, due: 'tomorrow', status: 'closed', fields: { labels: [1] } })).toEqual([
      'key: required but missing',
      'n: expected an integer, got number',
      'due: expected an ISO 8601 date, got string',
      'status: "closed" is not one of "open", "done"',
      'fields.labels[0]: expected a string, got number',
    ]);
    expect(checkRecord(schema, [])).toEqual(['the record is not an object']);
  });
});

describe('storage keys', () => {
  it('finds keys neither store accepts, anywhere in a value', () => {
    expect(unstorableKeys({ a: { 'b.c': 1 }, list: [{ $x: 1 }], ok: { deep: 1 } }).map((i) => i.path)).toEqual(['a.b.c', 'list[0].$x']);
  });
});

describe('registry', () => {
  it('lists the shipped connectors and refuses duplicate ids', () => {
    expect(connectorRegistry.ids()).toEqual(expect.arrayContaining(['webhook', 'rest']));
    expect(connectorRegistry.get('rest')).toBe(restConnector);
    expect(connectorRegistry.get('nope')).toBeUndefined();
    expect(() => createConnectorRegistry([restConnector, restConnector])).toThrow(/registered twice/);
    expect(connectorRegistry.describeAll().map((d) => d.id)).toEqual(connectorRegistry.ids());
  });

  it('ships REST example configs for Zoho-style and OData-style APIs, each valid', () => {
    const examples = restConnector.examples();
    expect(examples.map((e) => e.name)).toEqual(['odata-dynamics', 'odata-sap', 'zoho-books', 'zoho-crm']);
    for (const e of examples) expect(restConnector.parseConfig(e.config).ok, e.name).toBe(true);
  });
});
