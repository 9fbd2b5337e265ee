import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../api/config/index.ts';

const KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
const TOKEN = 'a'.repeat(32);
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'hub-config-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const r = loadConfig({ HUB_MASTER_KEY: KEY, HUB_ADMIN_TOKEN: TOKEN }, { cwd: '/srv/hub' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      port: 3000,
      dataDir: '/srv/hub/data',
      redisUrl: 'redis://127.0.0.1:6379',
      publicUrl: 'http://localhost:3000',
      logLevel: 'info',
      embedded: true,
      allowPrivateUrls: false,
      bodyLimitBytes: 1048576,
    });
    expect(r.config.mongodbUri).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be a port number \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT must be between 1 and 65535/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of fatal, error/],
    [{ HUB_PUBLIC_URL: 'not a url' }, /^HUB_PUBLIC_URL must be an http\(s\) URL/],
    [{ REDIS_URL: 'http://x' }, /^REDIS_URL must start with redis:\/\/ or rediss:\/\/$/],
    [{ MONGODB_URI: 'postgres://x' }, /^MONGODB_URI must start with mongodb:\/\//],
    [{ HUB_ALLOW_PRIVATE_URLS: 'maybe' }, /^HUB_ALLOW_PRIVATE_URLS must be true or false/],
    [{ HUB_MASTER_KEY: 'short' }, /^HUB_MASTER_KEY key "k1" must be 32 bytes in base64/],
    [{ HUB_ADMIN_TOKEN: 'short' }, /^HUB_ADMIN_TOKEN must be at least 24 characters$/],
  ])('rejects %o with one line naming the variable', (env, message) => {
    const r = loadConfig({ HUB_MASTER_KEY: KEY, HUB_ADMIN_TOKEN: TOKEN, ...env });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(message);
    expect(r.error).not.toContain('\n');
  });

  it('never echoes secret values in errors', () => {
    const r = loadConfig({ HUB_MASTER_KEY: 'k1:c2VjcmV0LXZhbHVl', HUB_ADMIN_TOKEN: TOKEN, REDIS_URL: 'http://user:hunter2@x' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).not.toMatch(/hunter2|c2VjcmV0/);
  });

  it('requires the master key and admin token with MongoDB', () => {
    const noKey = loadConfig({ MONGODB_URI: 'mongodb://db/hub', HUB_ADMIN_TOKEN: TOKEN });
    expect(noKey).toMatchObject({ ok: false, error: expect.stringMatching(/^HUB_MASTER_KEY is required when MONGODB_URI is set/) });
    const noToken = loadConfig({ MONGODB_URI: 'mongodb://db/hub', HUB_MASTER_KEY: KEY });
    expect(noToken).toMatchObject({ ok: false, error: expect.stringMatching(/^HUB_ADMIN_TOKEN is required/) });
    const ok = loadConfig({ MONGODB_URI: 'mongodb://db/hub', HUB_MASTER_KEY: KEY, HUB_ADMIN_TOKEN: TOKEN });
    expect(ok).toMatchObject({ ok: true, config: { embedded: false } });
  });

  it('generates the master key and admin token once in embedded mode, mode 0600', () => {
    const dir = tmp();
    const first = loadConfig({ HUB_DATA_DIR: dir });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.generated.adminToken).toBe(first.config.adminToken);
    expect(first.generated.masterKey).toBe(true);
    for (const f of ['master.key', 'admin.token']) {
      expect(statSync(join(dir, 'secrets', f)).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(join(dir, 'secrets', 'admin.token'), 'utf8').trim()).toBe(first.config.adminToken);
    const second = loadConfig({ HUB_DATA_DIR: dir });
    expect(second.ok && second.generated).toEqual({});
    expect(second.ok && second.config.adminToken).toBe(first.config.adminToken);
    expect(second.ok && second.config.masterKeys[0]!.key.equals(first.config.masterKeys[0]!.key)).toBe(true);
  });

  it('reads several master keys; the first encrypts', () => {
    const k2 = `k2:${Buffer.alloc(32, 9).toString('base64')}`;
    const r = loadConfig({ HUB_MASTER_KEY: `${k2},${KEY}`, HUB_ADMIN_TOKEN: TOKEN });
    expect(r.ok && r.config.masterKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
    const dup = loadConfig({ HUB_MASTER_KEY: `${KEY},${KEY}`, HUB_ADMIN_TOKEN: TOKEN });
    expect(dup).toMatchObject({ ok: false, error: 'HUB_MASTER_KEY key id "k1" is listed twice' });
  });
});
