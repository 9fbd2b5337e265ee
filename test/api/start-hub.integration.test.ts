import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startHub, type HubMode, type RunningHub } from '../../api/index.ts';
import { authChangesChannel } from '../../api/middleware/redis-auth-changes.ts';
import { createNedbStore, createStore } from '../../core/store/index.ts';
import { generateMasterKey } from '../../core/vault/index.ts';
import { connectRedis } from '../../queues/index.ts';
import { whatsAppWebRelayChannels } from '../../queues/notify/index.ts';
import { waitFor } from '../helpers/expect-and-wait.ts';
import { freePort } from '../helpers/hub-process.ts';
import { dropPrefix, queuePrefix, REDIS_URL } from '../helpers/test-queues.ts';

const root = mkdtempSync(join(tmpdir(), 'start-hub-'));
const prefixes: string[] = [];
const redis = connectRedis(REDIS_URL);
const running: RunningHub[] = [];

afterEach(async () => {
  for (const hub of running.splice(0)) await hub.stop();
});
afterAll(async () => {
  for (const prefix of prefixes) await dropPrefix(prefix);
  await redis.quit();
  rmSync(root, { recursive: true, force: true });
});

/** Starts one scale-out process; its store is in memory, so MONGODB_URI is only what selects scale-out. */
async function startScaleOut(mode: HubMode): Promise<{ hub: RunningHub; prefix: string }> {
  const prefix = queuePrefix('start-hub');
  prefixes.push(prefix);
  const hub = await startHub({
    mode,
    env: {
      MONGODB_URI: 'mongodb://127.0.0.1:1/unused',
      HUB_MASTER_KEY: generateMasterKey('k1'),
      HUB_ADMIN_TOKEN: `hat_${'a'.repeat(32)}`,
      HUB_DATA_DIR: join(root, prefix),
      HUB_QUEUE_PREFIX: prefix,
      REDIS_URL,
      HUB_EMBEDDED_REDIS: 'never',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
    },
    announce: () => undefined,
    openStore: async () => createStore(createNedbStore({ dir: '', inMemory: true })),
  });
  running.push(hub);
  return { hub, prefix };
}

async function subscribers(channel: string): Promise<number> {
  const [, count] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
  return Number(count);
}

describe('startHub in scale-out', () => {
  it('opens no auth change subscriber in a worker-only process', async () => {
    const { hub, prefix } = await startScaleOut('worker');
    expect(hub.url).toBeUndefined();
    // The process's own subscriber (the WhatsApp Web relay it serves) is up, so an auth one would be too.
    await waitFor(async () => (await subscribers(whatsAppWebRelayChannels(prefix).requests)) === 1, 10_000, 'the relay subscription');
    for (let i = 0; i < 5; i += 1) {
      expect(await subscribers(authChangesChannel(prefix))).toBe(0);
      await new Promise((r) => setTimeout(r, 50));
    }
    await hub.stop();
    expect(await subscribers(whatsAppWebRelayChannels(prefix).requests)).toBe(0);
  });

  it('hears auth changes in an API process, and lets go of the channel on stop', async () => {
    const { hub, prefix } = await startScaleOut('api');
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
    await waitFor(async () => (await subscribers(authChangesChannel(prefix))) === 1, 10_000, 'the auth change subscription');
    await hub.stop();
    expect(await subscribers(authChangesChannel(prefix))).toBe(0);
  });
});
