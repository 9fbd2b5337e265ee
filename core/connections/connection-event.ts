import { newId } from '../store/index.ts';
import type { ConnectionEvent } from './collections.ts';

/** A new outbox event about a connection. */
export function connectionEvent(type: ConnectionEvent['type'], connectionId: string, at: Date, changed?: ConnectionEvent['changed']): ConnectionEvent {
  return { id: newId('evt'), type, at, connectionId, ...(changed === undefined ? {} : { changed }) };
}
