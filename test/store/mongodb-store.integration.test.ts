import { describe } from 'vitest';
import { createMongoStore, createStore } from '../../core/store/index.ts';
import { storeContract } from './store-contract.ts';

const uri = process.env.MONGODB_URI;

// Without a server this file reports its tests as skipped, and the global setup prints why.
describe.skipIf(!uri)('MongoDB adapter (MONGODB_URI)', () => {
  storeContract('mongodb (mongoose)', async (name) => {
    const u = new URL(uri!);
    u.pathname = `/hub_contract_${name}`;
    return createStore(await createMongoStore({ uri: u.toString() }));
  });
});
