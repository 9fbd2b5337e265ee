import { newId } from '../store/index.ts';
import type { MappingDoc, MappingEvent } from './collections.ts';

/** A new outbox event about a mapping. */
export function mappingEvent(
  type: MappingEvent['type'],
  mapping: Pick<MappingDoc, '_id' | 'connectionId'>,
  at: Date,
  extra: Pick<MappingEvent, 'fromVersion' | 'toVersion' | 'reason'> = {},
): MappingEvent {
  return { id: newId('evt'), type, at, mappingId: mapping._id, connectionId: mapping.connectionId, ...extra };
}
