import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuthChange, AuthChangeChannel } from '../../core/tenancy/index.ts';

/** The Redis channel a hub's processes announce API-key and tenant writes on. */
export const authChangesChannel = (queuePrefix: string): string => `${queuePrefix}:auth-changes`;

/**
 * Carries API-key and tenant writes between the processes of one hub over Redis pub/sub, so each
 * process's auth cache drops what another process changed (see `createAuthCache`). It is live only
 * while `subscriber` is connected and subscribed; it goes dark, and says so, the moment that
 * connection closes or reconnects. It owns `subscriber` (a connection of its own, as Redis requires
 * for subscriptions) and closes it; `publisher` may be any connection.
 */
export function createRedisAuthChanges({
  publisher,
  subscriber,
  channel,
  onError = () => undefined,
}: {
  publisher: Pick<Redis, 'publish'>;
  subscriber: Redis;
  channel: string;
  onError?: (err: Error) => void;
}): AuthChangeChannel & { close(): Promise<void> } {
  const origin = randomUUID();
  const listeners = new Set<{ onChange(change: AuthChange): void; onReset(): void }>();
  let live = false;
  let closed = false;

  const reset = (): void => {
    for (const l of listeners) l.onReset();
  };
  const down = (): void => {
    if (!live) return;
    live = false;
    reset();
  };
  const up = (): void => {
    subscriber.subscribe(channel).then(
      () => {
        if (closed || live || subscriber.status !== 'ready') return;
        // Nothing was cached while not live (going down forgot everything), so nothing to forget here.
        live = true;
      },
      (err: Error) => onError(err),
    );
  };
  const onMessage = (ch: string, message: string): void => {
    if (ch !== channel) return;
    const change = parseChange(message);
    if (change === null) {
      // Something here does not understand it: forget everything rather than guess.
      reset();
      return;
    }
    if (change.origin === origin) return;
    for (const l of listeners) l.onChange(change.change);
  };
  const onFailure = (err: Error): void => onError(err);

  subscriber.on('message', onMessage);
  subscriber.on('ready', up);
  subscriber.on('close', down);
  subscriber.on('reconnecting', down);
  subscriber.on('end', down);
  subscriber.on('error', onFailure);
  if (subscriber.status === 'ready') up();

  return {
    get live() {
      return live && !closed && subscriber.status === 'ready';
    },
    publish(change) {
      if (closed) return;
      const message = JSON.stringify({ o: origin, c: change.collection, i: change.ids, ...(change.tenantId !== undefined ? { t: change.tenantId } : {}) });
      publisher.publish(channel, message).catch((err: Error) => onError(err));
    },
    listen(handlers) {
      listeners.add(handlers);
      return () => listeners.delete(handlers);
    },
    async close() {
      if (closed) return;
      closed = true;
      live = false;
      listeners.clear();
      subscriber.off('ready', up);
      subscriber.off('close', down);
      subscriber.off('reconnecting', down);
      subscriber.off('end', down);
      subscriber.off('message', onMessage);
      await subscriber.quit().catch(() => subscriber.disconnect());
      subscriber.off('error', onFailure);
    },
  };
}

function parseChange(message: string): { origin: string; change: AuthChange } | null {
  let m: unknown;
  try {
    m = JSON.parse(message);
  } catch {
    return null;
  }
  if (m === null || typeof m !== 'object') return null;
  const { o, c, i, t } = m as Record<string, unknown>;
  if (typeof o !== 'string' || (c !== 'api_keys' && c !== 'tenants')) return null;
  if (i !== null && !(Array.isArray(i) && i.every((x) => typeof x === 'string'))) return null;
  if (t !== undefined && typeof t !== 'string') return null;
  return { origin: o, change: { collection: c, ids: i as string[] | null, ...(t !== undefined ? { tenantId: t } : {}) } };
}
