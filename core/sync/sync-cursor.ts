import type { BaseDoc, CollectionDef } from '../store/index.ts';

/** Where polling of one remote object on one connection stands; `_id` is `cursorId(connectionId, object)`. */
export interface SyncCursorDoc extends BaseDoc {
  connectionId: string;
  remoteObject: string;
  /** The connector's opaque cursor; null before the first page. */
  cursor: string | null;
  lastPageAt?: Date;
  /** When a sweep last reached the end (`done`). */
  lastDoneAt?: Date;
  pages: number;
  records: number;
}

export const syncCursorsCollection: CollectionDef<SyncCursorDoc> = {
  name: 'sync_cursors',
  scope: 'tenant',
};

/** The id of the cursor of one connection and remote object. */
export function cursorId(connectionId: string, remoteObject: string): string {
  return `${connectionId}|${remoteObject}`;
}
