import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthExpiredError,
  checkRecord,
  createConnectorContext,
  createOutboundHttp,
  RateLimitedError,
  TransientVendorError,
  UnrecoverableVendorError,
  type Connector,
  type ConnectorContext,
  type ConnectorFetch,
  type RemoteRecord,
  type WebhookInput,
} from '../../connectors/index.ts';
import { objectSchemaSchema } from '../../mappings/index.ts';
import { isSchemeId, verifierFor } from '../../webhooks/verifiers/index.ts';

/** What a connector's fake offers the suite. */
export interface ConformanceTarget {
  config: Record<string, unknown>;
  credentials: Record<string, unknown>;
  /** Credentials the fake refuses; required when `holdsCredentials`. */
  badCredentials?: Record<string, unknown>;
  /** @default a guarded fetch that allows loopback (fakes listen on 127.0.0.1) */
  fetch?: ConnectorFetch;
  pull?: {
    object: string;
    /** Records the fake holds for `object`; more than one page of `limit`. */
    expected: number;
    limit: number;
    /** Makes one change at the vendor and returns the changed record's id. */
    change(): Promise<string> | string;
  };
  push?: {
    object: string;
    create: Record<string, unknown>;
    update: Record<string, unknown>;
    /** Records the fake holds for `object`. */
    count(): Promise<number> | number;
  };
  /** Makes the fake answer the next API call with this status. */
  fail?: (status: number, retryAfterSeconds?: number) => void;
  webhook?: { samples: WebhookInput[]; invalid: WebhookInput };
  teardown?: () => Promise<void>;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The checks every connector passes against its fake: a definition the registry can publish,
 * valid object schemas and samples, a clean check and a clean refusal of bad credentials, pulls
 * that page, advance and terminate, idempotent pushes, vendor failures as the named errors the
 * queues act on, and webhook parsing that never throws.
 */
export function describeConformance({
  connector,
  holdsCredentials,
  setup,
}: {
  connector: Connector;
  /** False for connectors that call nothing (an inbound webhook source). */
  holdsCredentials: boolean;
  setup: () => Promise<ConformanceTarget>;
}): void {
  const caps = connector.capabilities;
  const pushes = caps.push.includes('create') && caps.push.includes('update');
  describe(`${connector.id} connector conformance`, () => {
    let target: ConformanceTarget;
    let outbound: ReturnType<typeof createOutboundHttp>;
    const context = (credentials = target.credentials, saved: unknown[] = []): ConnectorContext => {
      const made = createConnectorContext({
        connector,
        config: target.config,
        credentials,
        fetch: target.fetch ?? outbound.fetch,
        logger: silent,
        saveCredentials: async (c) => void saved.push(c),
        connectionId: 'conn_conformance',
        tenantId: 'tn_conformance',
      });
      if (!made.ok) throw new Error(`${made.error}: ${JSON.stringify(made.issues)}`);
      return made.context;
    };

    beforeAll(async () => {
      outbound = createOutboundHttp({ allowPrivate: true });
      target = await setup();
    });
    afterAll(async () => {
      outbound.close();
      await target?.teardown?.();
    });

    it('publishes a definition: id, name, JSON Schemas of config and credentials', () => {
      const d = connector.describe(target.config);
      expect(d.id).toMatch(/^[a-z][a-z0-9-]{1,39}$/);
      expect(d.displayName.trim()).not.toBe('');
      expect(d.configSchema).toMatchObject({ type: 'object' });
      expect(d.credentialsSchema).toBeTypeOf('object');
      expect(JSON.parse(JSON.stringify(d))).toEqual(d);
      expect(d.capabilities).toEqual(caps);
    });

    it('declares only webhook schemes the hub can verify, with options its verifier accepts', () => {
      for (const scheme of connector.describe().webhookSchemes) expect(isSchemeId(scheme), scheme).toBe(true);
      const settings = connector.webhookSettings(connector.parseConfig(target.config).ok ? (connector.parseConfig(target.config) as { value: unknown }).value : target.config);
      expect(settings === undefined).toBe(!caps.webhook);
      if (settings !== undefined) {
        const verifier = verifierFor(settings.scheme);
        expect(verifier).toBeDefined();
        expect(verifier!.optionsSchema.safeParse(settings.options).success).toBe(true);
      }
    });

    it('accepts the fake config and credentials and names the URLs it will call', () => {
      const config = connector.parseConfig(target.config);
      expect(config.ok, JSON.stringify(config)).toBe(true);
      if (!config.ok) return;
      expect(connector.parseCredentials(target.credentials, config.value).ok).toBe(true);
      for (const { url } of connector.outboundUrls(config.value)) expect(new URL(url).protocol).toMatch(/^https?:$/);
    });

    it('has valid object schemas whose sample records fit them', () => {
      const config = connector.parseConfig(target.config);
      const objects = connector.objects(config.ok ? config.value : undefined);
      expect(Object.keys(objects).length).toBeGreaterThan(0);
      for (const [name, type] of Object.entries(objects)) {
        expect(objectSchemaSchema.safeParse(type.schema).success, name).toBe(true);
        for (const sample of type.samples ?? []) expect(checkRecord(type.schema, sample), name).toEqual([]);
      }
    });

    it('check() succeeds against the fake', async () => {
      expect(await connector.check(context())).toMatchObject({ ok: true });
    });

    if (holdsCredentials) it('check() fails cleanly, without throwing, when the fake refuses the credentials', async () => {
      const result = await connector.check(context(target.badCredentials));
      expect(result).toMatchObject({ ok: false, code: 'auth_failed' });
      expect(JSON.stringify(result)).not.toContain(JSON.stringify(target.badCredentials).slice(1, -1));
    });

    if (caps.pull) it('pull pages through everything, the cursor advancing, and terminates; a later sweep sees a change', async () => {
      const spec = target.pull!;
      const ctx = context();
      const sweep = async (start: string | null) => {
        const seen: RemoteRecord[] = [];
        let cursor = start;
        for (let page = 0; page < 100; page += 1) {
          const result = await connector.pull!(ctx, { object: spec.object, cursor, limit: spec.limit });
          expect(result.nextCursor).toBeTypeOf('string');
          expect(result.records.length).toBeLessThanOrEqual(spec.limit);
          for (const r of result.records) {
            expect(r.id).toBeTypeOf('string');
            expect(r.data).toBeTypeOf('object');
          }
          seen.push(...result.records);
          if (result.done) return { seen, cursor: result.nextCursor, pages: page + 1 };
          expect(result.nextCursor).not.toBe(cursor);
          cursor = result.nextCursor;
        }
        throw new Error('pull did not terminate within 100 pages');
      };
      const first = await sweep(null);
      expect(first.pages).toBeGreaterThan(1);
      expect(new Set(first.seen.map((r) => r.id)).size).toBe(spec.expected);
      const changed = await spec.change();
      const second = await sweep(first.cursor);
      expect(second.seen.map((r) => r.id)).toContain(changed);
    });

    if (pushes) it('push create and update are idempotent with the same key', async () => {
      const spec = target.push!;
      const ctx = context();
      const before = await spec.count();
      const created = await connector.push!(ctx, { object: spec.object, op: 'create', data: spec.create, idempotencyKey: 'conformance-create-1' });
      const again = await connector.push!(ctx, { object: spec.object, op: 'create', data: spec.create, idempotencyKey: 'conformance-create-1' });
      expect(again.id).toBe(created.id);
      expect(await spec.count()).toBe(before + 1);
      const updated = await connector.push!(ctx, { object: spec.object, op: 'update', id: created.id, data: spec.update, idempotencyKey: 'conformance-update-1' });
      const updatedAgain = await connector.push!(ctx, { object: spec.object, op: 'update', id: created.id, data: spec.update, idempotencyKey: 'conformance-update-1' });
      expect(updated.id).toBe(created.id);
      expect(updatedAgain).toEqual(updated);
      expect(await spec.count()).toBe(before + 1);
      if (connector.get !== undefined) {
        const read = await connector.get(ctx, { object: spec.object, id: created.id });
        expect(read?.data).toMatchObject(spec.update);
      }
    });

    if (caps.pull || pushes) it('vendor failures raise the named errors: 429 → RateLimitedError, 400 → UnrecoverableVendorError, 503 → TransientVendorError', async () => {
      const ctx = context();
      const call = () =>
        caps.pull
          ? connector.pull!(ctx, { object: target.pull!.object, cursor: null, limit: 1 })
          : connector.push!(ctx, { object: target.push!.object, op: 'create', data: target.push!.create, idempotencyKey: `conformance-${Math.random()}` });
      target.fail!(429, 3);
      const limited = await call().catch((e: unknown) => e);
      expect(limited).toBeInstanceOf(RateLimitedError);
      expect((limited as RateLimitedError).retryAfterMs).toBe(3000);
      target.fail!(400);
      const refused = await call().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UnrecoverableVendorError);
      expect((refused as UnrecoverableVendorError).status).toBe(400);
      target.fail!(503);
      expect(await call().catch((e: unknown) => e)).toBeInstanceOf(TransientVendorError);
      expect(await call()).toBeDefined();
    });

    if (caps.pull && holdsCredentials) it('pull with refused credentials raises AuthExpiredError', async () => {
      const err = await connector.pull!(context(target.badCredentials), { object: target.pull!.object, cursor: null, limit: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthExpiredError);
    });

    if (caps.webhook) it('parses sample webhooks into typed changes and refuses a bad body without throwing', async () => {
      const config = connector.parseConfig(target.config);
      expect(config.ok).toBe(true);
      const value = config.ok ? config.value : undefined;
      for (const sample of target.webhook!.samples) {
        const parsed = await connector.parseWebhook!(sample, value);
        expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
        if (!parsed.ok) continue;
        expect(parsed.changes.length).toBeGreaterThan(0);
        for (const change of parsed.changes) expect(change.type).toBeTypeOf('string');
      }
      const bad = await connector.parseWebhook!(target.webhook!.invalid, value);
      expect(bad.ok).toBe(false);
    });
  });
}
