import { z } from 'zod';
import type { Channel } from './channels.ts';
import type { DeliveryError } from './delivery-status.ts';
import { durationMs, durationSchema } from './duration.ts';

/** How often to retry a channel before moving to the next one. */
export const retryPolicySchema = z.strictObject({
  /** Sends per channel, the first included, before falling back. */
  maxAttemptsPerChannel: z.number().int().min(1).max(10).default(3),
  /** Wait before the first retry; each further retry waits `multiplier` times longer. */
  initialDelay: durationSchema.default('PT1M'),
  multiplier: z.number().min(1).max(10).default(4),
  /** Longest wait between two tries. */
  maxDelay: durationSchema.default('PT1H'),
});

/** Parsed {@link retryPolicySchema}. */
export type RetryPolicy = z.output<typeof retryPolicySchema>;

/** Three tries per channel, 1 and 4 minutes apart, then the next channel. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = retryPolicySchema.parse({});

/** One failed send. */
export interface DeliveryAttempt {
  channel: Channel;
  at: Date;
  error?: DeliveryError;
}

/** What to do next with a message. */
export type NextAttempt =
  | { action: 'send'; channel: Channel }
  | { action: 'retry'; channel: Channel; at: Date; attempt: number }
  | { action: 'fallback'; channel: Channel; at: Date; from: Channel }
  | { action: 'give_up'; reason: 'no_channels' | 'exhausted' };

/**
 * Decides the next step after failed sends: retry the same channel with exponential backoff
 * (or after the provider's `retryAfterMs`), move to the next channel in `channels` once a
 * channel has used its tries or failed permanently, or give up when none is left. With no
 * attempts yet it says to send on the first channel. Quiet hours are the caller's to re-check
 * for the time returned.
 */
export function nextAttempt(args: {
  attempts: readonly DeliveryAttempt[];
  channels: readonly Channel[];
  lastError?: DeliveryError;
  policy?: RetryPolicy;
  now?: Date;
}): NextAttempt {
  const { attempts, channels, policy = DEFAULT_RETRY_POLICY } = args;
  const first = channels[0];
  if (first === undefined) return { action: 'give_up', reason: 'no_channels' };
  const last = attempts.at(-1);
  if (!last) return { action: 'send', channel: first };

  const lastError = args.lastError ?? last.error;
  const now = args.now ?? last.at;
  const tries = new Map<Channel, number>();
  const dead = new Set<Channel>();
  for (const attempt of attempts) {
    tries.set(attempt.channel, (tries.get(attempt.channel) ?? 0) + 1);
    if (attempt.error?.permanent) dead.add(attempt.channel);
  }
  if (lastError?.permanent) dead.add(last.channel);

  const current = last.channel;
  const used = tries.get(current) ?? 0;
  if (!dead.has(current) && used < policy.maxAttemptsPerChannel) {
    const backoff = Math.min(durationMs(policy.maxDelay), durationMs(policy.initialDelay) * policy.multiplier ** (used - 1));
    const wait = lastError?.retryAfterMs !== undefined ? Math.max(lastError.retryAfterMs, 0) : backoff;
    const at = new Date(Math.max(last.at.getTime() + wait, now.getTime()));
    return { action: 'retry', channel: current, at, attempt: used + 1 };
  }

  const start = channels.indexOf(current);
  const rest = start === -1 ? channels : [...channels.slice(start + 1), ...channels.slice(0, start)];
  for (const channel of rest) {
    if (channel === current || dead.has(channel)) continue;
    if ((tries.get(channel) ?? 0) >= policy.maxAttemptsPerChannel) continue;
    return { action: 'fallback', channel, at: now, from: current };
  }
  return { action: 'give_up', reason: 'exhausted' };
}
