import type { Context } from 'hono';
import type { HubQueues } from '../../queues/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';

/** The app's queues, or a 503 when this process has none (sync work cannot be queued). */
export function syncQueues(c: Context<AppEnv>): HubQueues {
  const queues = c.get('services').queues;
  if (queues === undefined) throw new ApiError('service_unavailable', { detail: 'The queues are not available; try again shortly', headers: { 'Retry-After': '10' } });
  return queues;
}
