import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import type { Services } from '../../api/index.ts';
import { createApp, createLogger } from '../../api/index.ts';
import { loadConfig } from '../../api/config/index.ts';
import { createNedbStore, createStore, type Store } from '../../core/store/index.ts';
import { createTenant } from '../../core/tenancy/index.ts';
import { createVault } from '../../core/vault/index.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** Collects every log line the services write, to assert on (and to prove secrets are absent). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

/** Services over an in-memory embedded store, as the hub builds them, for app.request() tests. */
export function testServices(overrides: Partial<Services> & { env?: Record<string, string> } = {}): Services & { logs: LogCapture } {
  const loaded = loadConfig({
    HUB_MASTER_KEY: `k1:${randomBytes(32).toString('base64')}`,
    HUB_ADMIN_TOKEN: ADMIN_TOKEN,
    HUB_DATA_DIR: '/nonexistent-test-data-dir',
    HUB_PUBLIC_URL: 'https://hub.test',
    LOG_LEVEL: 'info',
    HUB_ALLOW_PRIVATE_URLS: 'true',
    ...(overrides.env ?? {}),
  });
  if (!loaded.ok) throw new Error(loaded.error);
  const logs = new LogCapture();
  const store: Store = overrides.store ?? createStore(createNedbStore({ dir: '', inMemory: true }));
  return {
    config: loaded.config,
    store,
    vault: createVault(loaded.config.masterKeys),
    logger: createLogger({ level: 'info', destination: logs }),
    metrics: new Registry(),
    readiness: [{ name: 'store', check: () => store.ping() }],
    now: () => new Date(),
    ...overrides,
    logs,
  };
}

/** An app over fresh test services, with helpers to make tenants and call it. */
export function testApp(overrides: Parameters<typeof testServices>[0] = {}) {
  const services = testServices(overrides);
  const app = createApp(services);
  const call = (method: string, path: string, init: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    app.request(path, {
      method,
      headers: {
        ...(init.key ? { Authorization: `Bearer ${init.key}` } : {}),
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(init.headers ?? {}),
      },
      ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
    });
  const tenant = async (slug: string) => {
    const r = await createTenant(services.store, { slug, name: `${slug} Pvt Ltd` });
    if (!r.ok) throw new Error(r.error);
    return { id: r.tenant.id, key: r.apiKey };
  };
  return { app, services, call, tenant };
}
