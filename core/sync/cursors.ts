import type { TenantStore } from '../store/index.ts';
import { cursorId, syncCursorsCollection, type SyncCursorDoc } from './sync-cursor.ts';

/** The stored polling cursor of a connection and remote object; null before the first page. */
export async function loadCursor(db: TenantStore, connectionId: string, remoteObject: string): Promise<SyncCursorDoc | null> {
  return db.collection(syncCursorsCollection).findById(cursorId(connectionId, remoteObject));
}

/** Stores the cursor after a page is applied, so a crash re-reads at most that page. */
export async function saveCursor(
  db: TenantStore,
  page: { connectionId: string; remoteObject: string; cursor: string; records: number; done: boolean },
  at: Date,
): Promise<void> {
  await db.collection(syncCursorsCollection).updateOne(
    { _id: cursorId(page.connectionId, page.remoteObject) },
    {
      $set: { cursor: page.cursor, lastPageAt: at, ...(page.done ? { lastDoneAt: at } : {}) },
      $setOnInsert: { connectionId: page.connectionId, remoteObject: page.remoteObject },
      $inc: { pages: 1, records: page.records },
    },
    { upsert: true },
  );
}
