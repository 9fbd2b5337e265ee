import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runHub, waitForOk, type HubProcess } from '../helpers/hub-process.ts';
import { dropPrefix, queuePrefix } from '../helpers/test-queues.ts';

const root = mkdtempSync(join(tmpdir(), 'hub-cli-'));
const prefix = queuePrefix('cli');
const running: HubProcess[] = [];
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
  // The hubs started here leave their queues and schedules under the prefix.
  await dropPrefix(prefix);
});

describe('hub command', () => {
  it('starts on embedded defaults, serves tenants and /v1/me, refuses a second process, and stops on SIGTERM', async () => {
    const dataDir = join(root, 'embedded');
    const port = await freePort();
    const env = { HUB_DATA_DIR: dataDir, PORT: String(port), HUB_QUEUE_PREFIX: prefix };
    const hub = runHub(['start'], env);
    running.push(hub);
    await waitForOk(`http://127.0.0.1:${port}/health`, 15_000);
    await waitForOk(`http://127.0.0.1:${port}/ready`, 5_000);
    expect(hub.stdout()).toMatch(/Admin token \(shown once; stored in .*admin\.token\): hat_/);

    const create = runHub(['tenant', 'create', 'acme', '--name', 'Acme Infra Pvt Ltd'], env);
    expect(await create.exited).toBe(0);
    const created = JSON.parse(create.stdout()) as { tenant: { slug: string; name: string }; apiKey: string };
    expect(created.tenant).toMatchObject({ slug: 'acme', name: 'Acme Infra Pvt Ltd' });
    const me = await fetch(`http://127.0.0.1:${port}/v1/me`, { headers: { Authorization: `Bearer ${created.apiKey}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { role: string }).role).toBe('admin');

    const dup = runHub(['tenant', 'create', 'acme', '--name', 'Again'], env);
    expect(await dup.exited).toBe(1);
    expect(dup.stderr()).toMatch(/^hub: the hub at .* answered 409: The slug "acme" is taken\n$/);

    const second = runHub(['start'], { ...env, PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(/^hub: another hub process \(pid \d+\) is using .*\n$/);

    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    expect(existsSync(join(dataDir, 'hub.lock'))).toBe(false);

    // Restarted, it keeps its data and does not print the admin token again.
    const again = runHub(['start'], env);
    running.push(again);
    await waitForOk(`http://127.0.0.1:${port}/health`, 15_000);
    const me2 = await fetch(`http://127.0.0.1:${port}/v1/me`, { headers: { Authorization: `Bearer ${created.apiKey}` } });
    expect(me2.status).toBe(200);
    expect(again.stdout()).not.toMatch(/Admin token/);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
    // Five hub processes one after another, each loading the whole hub from its TypeScript sources.
  }, 120_000);

  it('creates a tenant straight in the embedded store when no hub is running', async () => {
    const env = { HUB_DATA_DIR: join(root, 'offline'), PORT: String(await freePort()) };
    const create = runHub(['tenant', 'create', 'beta', '--name', 'Beta Traders'], env);
    expect(await create.exited).toBe(0);
    expect(JSON.parse(create.stdout())).toMatchObject({ tenant: { slug: 'beta' }, apiKey: expect.stringMatching(/^mhk_/) });
    const bad = runHub(['tenant', 'create', 'Not Valid', '--name', 'x'], env);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toMatch(/^hub: slug must be/);
  });

  it.each([
    [['start'], { PORT: 'abc' }, /^hub: PORT must be a port number \(got "abc"\)\n$/],
    [['start'], { LOG_LEVEL: 'chatty' }, /^hub: LOG_LEVEL must be one of/],
    [['start'], { HUB_MASTER_KEY: 'nope' }, /^hub: HUB_MASTER_KEY key "k1" must be 32 bytes/],
    [['api'], {}, /^hub: hub api is for scale-out on MongoDB and needs MONGODB_URI/],
    [['worker'], {}, /^hub: hub worker is for scale-out on MongoDB and needs MONGODB_URI/],
    [['api'], { MONGODB_URI: 'mongodb://127.0.0.1:1/hub' }, /^hub: HUB_MASTER_KEY is required when MONGODB_URI is set/],
  ])('hub %s with %o stops with one clear line and no stack trace', async (args, env, message) => {
    const p = runHub(args, { HUB_DATA_DIR: join(root, 'bad'), ...env });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(message);
    expect(p.stderr().trim().split('\n')).toHaveLength(1);
    expect(p.stderr()).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it.each([
    // A bad key given while the admin token is left to the first start: the key is still checked first.
    [['start'], { HUB_MASTER_KEY: 'nope' }, /^hub: HUB_MASTER_KEY key "k1" must be 32 bytes/],
    [['worker'], {}, /^hub: hub worker is for scale-out on MongoDB and needs MONGODB_URI; the embedded store serves one process, so use hub start\n$/],
  ])('hub %s with %o refuses its settings before loading the hub, and writes nothing', async (args, env, message) => {
    const dataDir = join(root, `early-${args[0]}`);
    const p = runHub(args, { HUB_DATA_DIR: dataDir, ...env });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(message);
    // Neither the secrets a first start makes nor anything else.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('explains how to fix a missing Redis', async () => {
    const p = runHub(['start'], { HUB_DATA_DIR: join(root, 'noredis'), REDIS_URL: 'redis://127.0.0.1:1', HUB_EMBEDDED_REDIS: 'never', PORT: String(await freePort()) });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/^hub: Redis is not answering at redis:\/\/127\.0\.0\.1:1.*set REDIS_URL/);
  });

  it('starts a private redis-server under the data dir when none answers', async () => {
    const dataDir = join(root, 'private-redis');
    const port = await freePort();
    const hub = runHub(['start'], { HUB_DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:1', PORT: String(port), LOG_LEVEL: 'info' });
    running.push(hub);
    await waitForOk(`http://127.0.0.1:${port}/ready`, 15_000);
    expect(hub.stdout()).toMatch(/started a private redis-server with AOF/);
    expect(existsSync(join(dataDir, 'redis', 'appendonlydir'))).toBe(true);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
  });

  it('generates master key entries for rotation', async () => {
    const p = runHub(['keys', 'generate', '--id', 'k2026'], {});
    expect(await p.exited).toBe(0);
    const [id, b64] = p.stdout().trim().split(':');
    expect(id).toBe('k2026');
    expect(Buffer.from(b64!, 'base64')).toHaveLength(32);
  });
});
