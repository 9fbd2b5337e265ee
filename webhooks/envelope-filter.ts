import type { Filter } from '../core/store/index.ts';
import type { EnvelopeStatus } from './webhook-envelope.ts';

/** Which envelopes a list or bulk replay covers; every field narrows. */
export interface EnvelopeQuery {
  connectionId?: string;
  status?: EnvelopeStatus;
  /** Received at or after. */
  since?: Date;
  /** Received before. */
  until?: Date;
}

/** The store filter for an envelope query. */
export function envelopeFilter(query: EnvelopeQuery): Filter {
  const filter: Filter = {};
  if (query.connectionId !== undefined) filter.connectionId = query.connectionId;
  if (query.status !== undefined) filter.status = query.status;
  if (query.since !== undefined || query.until !== undefined) {
    filter.receivedAt = {
      ...(query.since !== undefined ? { $gte: query.since } : {}),
      ...(query.until !== undefined ? { $lt: query.until } : {}),
    };
  }
  return filter;
}
