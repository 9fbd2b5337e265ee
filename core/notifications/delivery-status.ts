/** Where a message is: queued → sent → delivered → read, or failed. */
export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;

/** One of {@link DELIVERY_STATUSES}. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Why a send failed, as far as the provider says. */
export interface DeliveryError {
  /** The provider's code, as a string (`131026`, `30005`, `550`, `16`). */
  code: string;
  message?: string;
  /** Retrying on the same channel cannot help (bad number, template refused, opted out). */
  permanent: boolean;
  /** The provider asked to wait this long (rate limit). */
  retryAfterMs?: number;
  /** The recipient opted out at the provider (Twilio 21610 after STOP): record the opt-out. */
  optOut?: boolean;
}

/** A message's delivery record, with when each status was first seen. */
export interface DeliveryState {
  status: DeliveryStatus;
  queuedAt?: Date;
  sentAt?: Date;
  deliveredAt?: Date;
  readAt?: Date;
  failedAt?: Date;
  error?: DeliveryError;
}

/** A status report, from the sender or a provider callback. */
export interface DeliveryUpdate {
  status: DeliveryStatus;
  at: Date;
  error?: DeliveryError;
}

const RANK: Readonly<Record<Exclude<DeliveryStatus, 'failed'>, number>> = { queued: 0, sent: 1, delivered: 2, read: 3 };

/**
 * Applies a status report without ever going backwards. Callbacks arrive late and out of
 * order, so a `delivered` after `read` only fills in `deliveredAt`, and a `read` implies
 * delivery. `failed` counts only before delivery; after a failure, a `delivered` or `read`
 * still wins, since it proves the message arrived. Timestamps keep the first report of each.
 */
export function applyDeliveryUpdate(state: DeliveryState, update: DeliveryUpdate): { changed: boolean; state: DeliveryState } {
  const next: DeliveryState = { ...state };
  const at = update.at;
  const stamp = (field: 'queuedAt' | 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt'): void => {
    const current = next[field];
    if (current === undefined || at < current) next[field] = at;
  };

  if (update.status === 'failed') {
    if (state.status === 'queued' || state.status === 'sent') {
      next.status = 'failed';
      stamp('failedAt');
      if (update.error) next.error = update.error;
    } else if (state.status === 'failed' && update.error && !state.error) {
      next.error = update.error;
    }
  } else {
    stamp(`${update.status}At`);
    if (update.status === 'read') stamp('deliveredAt');
    if (update.status === 'read' || update.status === 'delivered') stamp('sentAt');
    const proofOfArrival = update.status === 'delivered' || update.status === 'read';
    if (state.status === 'failed') {
      if (proofOfArrival) {
        next.status = update.status;
        delete next.error;
      }
    } else if (RANK[update.status] > RANK[state.status]) {
      next.status = update.status;
    }
  }
  return { changed: !sameState(state, next), state: next };
}

function sameState(a: DeliveryState, b: DeliveryState): boolean {
  const fields = ['queuedAt', 'sentAt', 'deliveredAt', 'readAt', 'failedAt'] as const;
  return a.status === b.status && a.error === b.error && fields.every((f) => a[f]?.getTime() === b[f]?.getTime());
}
