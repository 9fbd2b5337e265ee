import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { activeWebhookSecrets, connectionsCollection, createConnection, decryptCredentials } from '../../core/connections/index.ts';
import { openStore } from '../../core/store/index.ts';
import { createTenant } from '../../core/tenancy/index.ts';
import { createVault, generateMasterKey, parseMasterKeys } from '../../core/vault/index.ts';
import { runHub } from '../helpers/hub-process.ts';

const root = mkdtempSync(join(tmpdir(), 'hub-rotate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('hub keys rotate', () => {
  it('re-encrypts stored connection secrets under the new first key, and refuses while the hub holds the store', async () => {
    const dataDir = join(root, 'data');
    const oldKey = generateMasterKey('old');
    const keysOf = (value: string) => {
      const r = parseMasterKeys(value);
      if (!r.ok) throw new Error(r.error);
      return r.keys;
    };

    // Seed a tenant and a connection encrypted under the old key, as a running hub would have.
    const store = await openStore({ dataDir });
    const t = await createTenant(store, { slug: 'acme', name: 'Acme' });
    if (!t.ok) throw new Error(t.error);
    const conn = await createConnection(
      store,
      t.tenant.id,
      createVault(keysOf(oldKey)),
      { connector: 'webhook', name: 'inbound', config: { scheme: 'github' }, credentials: { token: 'cred-123' }, webhook: { secrets: [{ value: 'hook-456' }] } },
      new Date(),
    );
    await store.close();

    const newKey = generateMasterKey('new');
    const env = { HUB_DATA_DIR: dataDir, HUB_MASTER_KEY: `${newKey},${oldKey}`, HUB_ADMIN_TOKEN: 'x'.repeat(32) };
    // While another live process holds the embedded store, rotation refuses to touch it.
    writeFileSync(join(dataDir, 'hub.lock'), String(process.pid));
    const refused = runHub(['keys', 'rotate'], env);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr()).toMatch(/^hub: another hub process \(pid \d+\) is using .*rotation rewrites the embedded store/);
    rmSync(join(dataDir, 'hub.lock'));

    const rotate = runHub(['keys', 'rotate'], env);
    expect(await rotate.exited).toBe(0);
    const report = JSON.parse(rotate.stdout()) as { currentKeyId: string; documents: number; secrets: number; failures: unknown[] };
    expect(report).toMatchObject({ currentKeyId: 'new', documents: 1, secrets: 2, failures: [] });

    // Only the new key is needed now; the old one can leave HUB_MASTER_KEY.
    const after = await openStore({ dataDir });
    const doc = await after.forTenant(t.tenant.id).collection(connectionsCollection).findById(conn._id);
    await after.close();
    expect(readFileSync(join(dataDir, 'db', 'connections.db'), 'utf8')).not.toContain('cred-123');
    const onlyNew = createVault(keysOf(newKey));
    expect(decryptCredentials(onlyNew, doc!)).toMatchObject({ ok: true, credentials: { token: 'cred-123' } });
    expect(activeWebhookSecrets(onlyNew, doc!, new Date()).map((s) => s.value)).toEqual(['hook-456']);

    // A second rotation finds nothing left to do.
    const again = runHub(['keys', 'rotate'], env);
    expect(await again.exited).toBe(0);
    expect(JSON.parse(again.stdout())).toMatchObject({ documents: 0, secrets: 0 });
  });
});
