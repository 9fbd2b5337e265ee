import { loadConfig, lockDataDir } from '../api/index.ts';
import { openStore } from '../core/store/index.ts';
import { createTenant } from '../core/tenancy/index.ts';
import { CliError } from './cli-error.ts';

/**
 * Creates a tenant through the running hub's API; when no hub answers and the store is embedded,
 * writes it directly (holding the data dir lock). Prints the same JSON as POST /v1/tenants.
 */
export async function tenantCreate(slug: string, opts: { name: string; timeZone?: string; url?: string }): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) throw new CliError(loaded.error);
  const { config } = loaded;
  const base = (opts.url ?? process.env.HUB_URL ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  const body = { slug, name: opts.name, ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) };

  let res: Response | undefined;
  try {
    res = await fetch(`${base}/v1/tenants`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${config.adminToken}` },
      body: JSON.stringify(body),
    });
  } catch {
    res = undefined;
  }
  if (res) {
    const text = await res.text();
    if (!res.ok) {
      let detail = text;
      try {
        const p = JSON.parse(text) as { detail?: string; errors?: { path: string; message: string }[] };
        detail = [p.detail, ...(p.errors ?? []).map((e) => `${e.path}: ${e.message}`)].filter(Boolean).join('; ');
      } catch {
        // Not problem+json; show it as it came.
      }
      throw new CliError(`the hub at ${base} answered ${res.status}: ${detail}`);
    }
    process.stdout.write(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    return;
  }

  if (!config.embedded) throw new CliError(`no hub answers at ${base}; start it or pass --url`);
  if (!/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(slug)) throw new CliError('slug must be 1-40 lower-case letters, digits or inner hyphens');
  if (!opts.name.trim()) throw new CliError('--name must not be empty');
  const lock = lockDataDir(config.dataDir);
  if (!lock.ok) throw new CliError(lock.error);
  const store = await openStore({ dataDir: config.dataDir });
  try {
    const result = await createTenant(store, { slug, name: opts.name.trim(), ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) });
    if (!result.ok) throw new CliError(`the slug "${slug}" is taken`);
    const t = result.tenant;
    process.stdout.write(`${JSON.stringify({ tenant: { ...t, createdAt: t.createdAt.toISOString() }, apiKey: result.apiKey }, null, 2)}\n`);
  } finally {
    await store.close();
    lock.release();
  }
}
