import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One AES-256 key with its id; the id travels in every ciphertext so keys can rotate. */
export interface VaultKey {
  id: string;
  key: Buffer;
}

/** Who a secret belongs to and what it is for; bound to the ciphertext as associated data. */
export interface SecretContext {
  tenantId: string;
  purpose: string;
}

export type DecryptResult = { ok: true; value: string } | { ok: false; error: 'malformed' | 'unknown_key' | 'tampered' };

export interface Vault {
  /** The id of the key that encrypts. */
  readonly currentKeyId: string;
  encrypt(plaintext: string, ctx: SecretContext): string;
  decrypt(ciphertext: string, ctx: SecretContext): DecryptResult;
  /** True when `ciphertext` was made with a key other than the current one. */
  needsRotation(ciphertext: string): boolean;
  /** Re-encrypts under the current key; the purpose is read from the ciphertext. */
  reencrypt(ciphertext: string, tenantId: string): DecryptResult;
}

const PREFIX = 'enc:v1';
const PURPOSE_RE = /^[a-z0-9_.-]{1,64}$/;
const KEY_ID_RE = /^[A-Za-z0-9_-]{1,32}$/;

/** True for strings produced by a vault. */
export function isCiphertext(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(`${PREFIX}:`);
}

/**
 * AES-256-GCM with a random 96-bit nonce. Format: `enc:v1:<keyId>:<purpose>:<iv>:<tag>:<data>`
 * (base64url). The tenant and purpose are associated data, so a ciphertext moved to another
 * tenant or field fails to decrypt.
 */
export function createVault(keys: VaultKey[]): Vault {
  if (keys.length === 0) throw new Error('the vault needs at least one key');
  const byId = new Map<string, Buffer>();
  for (const k of keys) {
    if (!KEY_ID_RE.test(k.id)) throw new Error(`key id "${k.id}" must be 1-32 letters, digits, _ or -`);
    if (k.key.length !== 32) throw new Error(`key "${k.id}" must be 32 bytes`);
    if (byId.has(k.id)) throw new Error(`key id "${k.id}" is listed twice`);
    byId.set(k.id, k.key);
  }
  const current = keys[0]!;

  const aad = (tenantId: string, purpose: string): Buffer => Buffer.from(`${tenantId}\u0000${purpose}`, 'utf8');

  const parse = (ciphertext: string) => {
    const parts = ciphertext.split(':');
    if (parts.length !== 7 || `${parts[0]}:${parts[1]}` !== PREFIX) return null;
    const [, , keyId, purpose, iv, tag, data] = parts as [string, string, string, string, string, string, string];
    return { keyId, purpose, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), data: Buffer.from(data, 'base64url') };
  };

  const encrypt = (plaintext: string, ctx: SecretContext): string => {
    if (!PURPOSE_RE.test(ctx.purpose)) throw new Error(`purpose "${ctx.purpose}" must match ${PURPOSE_RE}`);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', current.key, iv);
    cipher.setAAD(aad(ctx.tenantId, ctx.purpose));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [PREFIX, current.id, ctx.purpose, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join(':');
  };

  const decrypt = (ciphertext: string, ctx: SecretContext): DecryptResult => {
    const p = typeof ciphertext === 'string' ? parse(ciphertext) : null;
    if (!p || p.iv.length !== 12 || p.tag.length !== 16) return { ok: false, error: 'malformed' };
    const key = byId.get(p.keyId);
    if (!key) return { ok: false, error: 'unknown_key' };
    if (p.purpose !== ctx.purpose) return { ok: false, error: 'tampered' };
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, p.iv);
      decipher.setAAD(aad(ctx.tenantId, ctx.purpose));
      decipher.setAuthTag(p.tag);
      const value = Buffer.concat([decipher.update(p.data), decipher.final()]).toString('utf8');
      return { ok: true, value };
    } catch {
      return { ok: false, error: 'tampered' };
    }
  };

  return {
    currentKeyId: current.id,
    encrypt,
    decrypt,
    needsRotation(ciphertext) {
      const p = parse(ciphertext);
      return p !== null && p.keyId !== current.id;
    },
    reencrypt(ciphertext, tenantId) {
      const p = parse(ciphertext);
      if (!p) return { ok: false, error: 'malformed' };
      const plain = decrypt(ciphertext, { tenantId, purpose: p.purpose });
      if (!plain.ok) return plain;
      return { ok: true, value: encrypt(plain.value, { tenantId, purpose: p.purpose }) };
    },
  };
}

/**
 * Parses `HUB_MASTER_KEY`: a comma-separated list of `<id>:<base64 32-byte key>`; the first
 * encrypts and all decrypt. A bare base64 key gets the id `k1`.
 */
export function parseMasterKeys(value: string): { ok: true; keys: VaultKey[] } | { ok: false; error: string } {
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return { ok: false, error: 'is empty' };
  const keys: VaultKey[] = [];
  for (const [i, entry] of entries.entries()) {
    const sep = entry.indexOf(':');
    const id = sep === -1 ? `k${i + 1}` : entry.slice(0, sep);
    const b64 = sep === -1 ? entry : entry.slice(sep + 1);
    if (!KEY_ID_RE.test(id)) return { ok: false, error: `key id "${id}" must be 1-32 letters, digits, _ or -` };
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) {
      return { ok: false, error: `key "${id}" must be 32 bytes in base64 (e.g. from: openssl rand -base64 32)` };
    }
    if (keys.some((k) => k.id === id)) return { ok: false, error: `key id "${id}" is listed twice` };
    keys.push({ id, key });
  }
  return { ok: true, keys };
}

/** A fresh key entry in `HUB_MASTER_KEY` format. */
export function generateMasterKey(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
