import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNedbStore, createStore, type BaseDoc, type CollectionDef } from '../../core/store/index.ts';
import { createVault, isCiphertext, parseMasterKeys, rotateSecrets, type VaultKey } from '../../core/vault/index.ts';

const key = (id: string): VaultKey => ({ id, key: randomBytes(32) });
const ctx = { tenantId: 'tn_a', purpose: 'connection.credentials' };

describe('vault', () => {
  it('round-trips secrets, with a fresh nonce each time', () => {
    const v = createVault([key('k1')]);
    const a = v.encrypt('s3cret ✓ ₹', ctx);
    const b = v.encrypt('s3cret ✓ ₹', ctx);
    expect(a).not.toBe(b);
    expect(isCiphertext(a)).toBe(true);
    expect(a).not.toContain('s3cret');
    expect(a.split(':').slice(0, 4)).toEqual(['enc', 'v1', 'k1', 'connection.credentials']);
    expect(v.decrypt(a, ctx)).toEqual({ ok: true, value: 's3cret ✓ ₹' });
  });

  it('detects tampering with the data, tag or nonce', () => {
    const v = createVault([key('k1')]);
    const ct = v.encrypt('value', ctx);
    const parts = ct.split(':');
    for (const i of [4, 5, 6]) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0]! ^= 1;
      const tampered = [...parts.slice(0, i), bytes.toString('base64url'), ...parts.slice(i + 1)].join(':');
      expect(v.decrypt(tampered, ctx)).toEqual({ ok: false, error: 'tampered' });
    }
    expect(v.decrypt('enc:v1:k1:x', ctx)).toEqual({ ok: false, error: 'malformed' });
  });

  it('binds ciphertexts to their tenant and purpose', () => {
    const v = createVault([key('k1')]);
    const ct = v.encrypt('value', ctx);
    expect(v.decrypt(ct, { ...ctx, tenantId: 'tn_b' })).toEqual({ ok: false, error: 'tampered' });
    expect(v.decrypt(ct, { ...ctx, purpose: 'connection.webhook-secret' })).toEqual({ ok: false, error: 'tampered' });
    const relabelled = ct.replace(':connection.credentials:', ':connection.webhook-secret:');
    expect(v.decrypt(relabelled, { ...ctx, purpose: 'connection.webhook-secret' })).toEqual({ ok: false, error: 'tampered' });
  });

  it('decrypts with any listed key and encrypts with the first', () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const old = createVault([k1]).encrypt('value', ctx);
    const both = createVault([k2, k1]);
    expect(both.decrypt(old, ctx)).toEqual({ ok: true, value: 'value' });
    expect(both.needsRotation(old)).toBe(true);
    expect(both.encrypt('value', ctx).split(':')[2]).toBe('k2');
    expect(createVault([k2]).decrypt(old, ctx)).toEqual({ ok: false, error: 'unknown_key' });
  });

  it('rotates every stored secret under the first key, leaving other data alone', async () => {
    interface Conn extends BaseDoc {
      name: string;
      credentials: string;
      webhook: { secrets: { value: string }[] };
    }
    const def: CollectionDef<Conn> = { name: 'rotating', scope: 'tenant', holdsSecrets: true };
    const store = createStore(createNedbStore({ dir: '', inMemory: true }));
    const k1 = key('k1');
    const k2 = key('k2');
    const v1 = createVault([k1]);
    const cols = ['tn_a', 'tn_b'].map((t) => store.forTenant(t).collection(def));
    for (const [i, col] of cols.entries()) {
      const tenantId = col === cols[0] ? 'tn_a' : 'tn_b';
      await col.insert({
        name: `conn-${i}`,
        credentials: v1.encrypt(`cred-${i}`, { tenantId, purpose: 'connection.credentials' }),
        webhook: { secrets: [{ value: v1.encrypt(`hook-${i}`, { tenantId, purpose: 'connection.webhook-secret' }) }] },
      });
    }
    const v2 = createVault([k2, k1]);
    const report = await rotateSecrets(store, v2, [def]);
    expect(report).toMatchObject({ collections: 1, documents: 2, secrets: 4, failures: [] });
    const onlyNew = createVault([k2]);
    for (const [i, col] of cols.entries()) {
      const tenantId = i === 0 ? 'tn_a' : 'tn_b';
      const doc = (await col.find({}))[0]!;
      expect(doc.name).toBe(`conn-${i}`);
      expect(doc.version).toBe(2);
      expect(onlyNew.decrypt(doc.credentials, { tenantId, purpose: 'connection.credentials' })).toEqual({ ok: true, value: `cred-${i}` });
      expect(onlyNew.decrypt(doc.webhook.secrets[0]!.value, { tenantId, purpose: 'connection.webhook-secret' })).toEqual({ ok: true, value: `hook-${i}` });
    }
    const again = await rotateSecrets(store, v2, [def]);
    expect(again).toMatchObject({ documents: 0, secrets: 0 });
  });

  it('reports secrets no configured key can open instead of destroying them', async () => {
    interface Conn extends BaseDoc {
      credentials: string;
    }
    const def: CollectionDef<Conn> = { name: 'orphaned', scope: 'tenant', holdsSecrets: true };
    const store = createStore(createNedbStore({ dir: '', inMemory: true }));
    const lost = createVault([key('gone')]).encrypt('x', ctx);
    await store.forTenant('tn_a').collection(def).insert({ credentials: lost });
    const report = await rotateSecrets(store, createVault([key('k9')]), [def]);
    expect(report.failures).toEqual([{ collection: 'orphaned', id: expect.any(String), error: 'unknown_key' }]);
    expect((await store.forTenant('tn_a').collection(def).find({}))[0]!.credentials).toBe(lost);
  });

  it('parses HUB_MASTER_KEY lists', () => {
    const b64 = randomBytes(32).toString('base64');
    expect(parseMasterKeys(b64)).toMatchObject({ ok: true, keys: [{ id: 'k1' }] });
    expect(parseMasterKeys(`new:${b64}, old:${randomBytes(32).toString('base64')}`)).toMatchObject({ ok: true, keys: [{ id: 'new' }, { id: 'old' }] });
    expect(parseMasterKeys('bad id:abc')).toMatchObject({ ok: false });
    expect(parseMasterKeys(`k1:${randomBytes(16).toString('base64')}`)).toMatchObject({ ok: false, error: expect.stringMatching(/32 bytes/) });
  });
});
