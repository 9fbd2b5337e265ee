import { createStore } from './create-store.ts';
import { createMongoStore } from './mongo-store.ts';
import { createNedbStore } from './nedb-store.ts';
import type { Store } from './types.ts';

/** Opens MongoDB when a URI is given, otherwise the embedded store under `dataDir/db`. */
export async function openStore(options: { mongodbUri?: string | undefined; dataDir: string; inMemory?: boolean }): Promise<Store> {
  if (options.mongodbUri) return createStore(await createMongoStore({ uri: options.mongodbUri }));
  return createStore(createNedbStore({ dir: `${options.dataDir}/db`, inMemory: options.inMemory ?? false }));
}
