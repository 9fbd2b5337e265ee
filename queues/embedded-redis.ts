import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { redisAnswers } from './redis-connection.ts';

export interface RedisEndpoint {
  url: string;
  /** Set when the hub started its own redis-server; stops it. */
  stop?: () => Promise<void>;
}

export type EnsureRedisResult = { ok: true; endpoint: RedisEndpoint } | { ok: false; error: string };

/**
 * Uses Redis at `url` when it answers. Otherwise, when allowed (embedded mode), starts a private
 * redis-server with AOF under `<dataDir>/redis` on a free loopback port.
 */
export async function ensureRedis(options: { url: string; dataDir: string; allowEmbedded: boolean; redisServer?: string }): Promise<EnsureRedisResult> {
  const { url, dataDir, allowEmbedded, redisServer = 'redis-server' } = options;
  if (await redisAnswers(url)) return { ok: true, endpoint: { url } };
  const shown = redactUrl(url);
  if (!allowEmbedded) {
    return { ok: false, error: `Redis is not answering at ${shown}. Start Redis there or set REDIS_URL to one that answers.` };
  }
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = await startProcess(redisServer, [
      '--bind', '127.0.0.1',
      '--port', String(port),
      '--dir', dir,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--save', '',
      '--maxmemory-policy', 'noeviction',
      '--protected-mode', 'yes',
      '--daemonize', 'no',
      '--logfile', join(dir, 'redis.log'),
    ]);
  } catch {
    return {
      ok: false,
      error: `Redis is not answering at ${shown} and redis-server is not on the PATH. Fix one of: start Redis at ${shown}; install it (apt-get install redis-server, brew install redis) so the hub can start its own; or set REDIS_URL to a Redis that answers.`,
    };
  }
  const embeddedUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i += 1) {
    if (child.exitCode !== null) break;
    if (await redisAnswers(embeddedUrl, 500)) {
      return { ok: true, endpoint: { url: embeddedUrl, stop: () => stopProcess(child) } };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopProcess(child);
  return { ok: false, error: `redis-server did not start; see ${join(dir, 'redis.log')}` };
}

function startProcess(cmd: string, args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('spawn', () => resolve(child));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // SIGTERM makes redis-server flush the AOF before exiting.
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A Redis URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured REDIS_URL';
  }
}
