import type { Store } from '../store/index.ts';
import { hashSecret, parseApiKey, resolveApiKey, type AuthResult } from './api-keys.ts';
import type { AuthChange, AuthChangeChannel } from './auth-changes.ts';
import { apiKeysCollection, tenantsCollection, type ApiKeyDoc, type TenantDoc } from './collections.ts';

/** Resolves bearer tokens like `authenticateApiKey`, reusing what earlier requests read. */
export interface AuthCache {
  authenticate(token: string): Promise<AuthResult>;
  /** Whether answers may come from memory right now (see {@link createAuthCache}). */
  readonly caching: boolean;
  /** Counts since creation, for metrics and tests. */
  stats(): { hits: number; misses: number; keys: number; tenants: number };
  /** Forgets everything resolved so far. */
  clear(): void;
  /** Stops following the store and the channel; later calls read the store every time. */
  close(): void;
}

interface Entry<T> {
  doc: T;
  /** When it was read, on the cache's clock. */
  at: number;
}

/**
 * A per-process cache of resolved API keys and their tenants, in front of {@link resolveApiKey}.
 *
 * - Keys are held under the SHA-256 of their secret (the stored hash), never under the token, and
 *   a hit must also name the same tenant and key as the token, so a secret never opens another
 *   tenant. Failures (unknown, revoked, suspended) are never cached: they read the store each time.
 * - Writes this process makes to API keys or tenants, through any code, drop the entries they touch
 *   before the write's promise settles (the store's write listeners): a revoked key, a suspended
 *   tenant or new tenant settings are seen by the next request here.
 * - Other processes' writes arrive through `changes` (Redis pub/sub in scale-out), as soon as
 *   Redis delivers them. Without a live channel the cache answers only over the
 *   embedded store, which one process owns; over MongoDB it then reads the store every time, and
 *   whenever the channel drops or comes back everything is forgotten.
 * - No entry is used longer than `maxAgeMs` after it was read, even if a change message is lost.
 * - At most `maxEntries` keys and as many tenants are held; the oldest go first.
 * - A read that overlapped any change is not stored, so a slow read never brings back old data.
 * - Cached documents are frozen: one request cannot alter what another sees.
 * @default maxAgeMs 5000
 * @default maxEntries 10000
 */
export function createAuthCache({
  store,
  changes,
  maxAgeMs = 5000,
  maxEntries = 10_000,
  clock = () => performance.now(),
}: {
  store: Store;
  changes?: AuthChangeChannel;
  maxAgeMs?: number;
  maxEntries?: number;
  clock?: () => number;
}): AuthCache {
  if (!(maxAgeMs >= 0) || !Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxAgeMs must be ≥ 0 and maxEntries a positive integer');
  /** secretHash → key. */
  const keys = new Map<string, Entry<ApiKeyDoc>>();
  /** key id → secretHash, to drop a key by id. */
  const hashById = new Map<string, string>();
  const tenants = new Map<string, Entry<TenantDoc>>();
  /** Bumped by every change; a read that saw it move is not stored. */
  let generation = 0;
  let hits = 0;
  let misses = 0;
  let closed = false;

  const dropKey = (keyId: string): void => {
    const h = hashById.get(keyId);
    if (h === undefined) return;
    hashById.delete(keyId);
    keys.delete(h);
  };
  const clear = (): void => {
    generation += 1;
    keys.clear();
    hashById.clear();
    tenants.clear();
  };
  const apply = (change: AuthChange): void => {
    generation += 1;
    if (change.collection === 'tenants') {
      if (change.ids === null) tenants.clear();
      else for (const id of change.ids) tenants.delete(id);
    } else if (change.ids !== null) {
      for (const id of change.ids) dropKey(id);
    } else {
      for (const [h, e] of keys) {
        if (change.tenantId === undefined || e.doc.tenantId === change.tenantId) {
          keys.delete(h);
          hashById.delete(e.doc._id);
        }
      }
    }
  };

  const unsubscribers: (() => void)[] = [];
  const follows = typeof store.onWrite === 'function';
  if (follows) {
    const local = (collection: AuthChange['collection']) => (w: { ids: readonly string[] | null; tenantId?: string }) => {
      const change: AuthChange = { collection, ids: w.ids, ...(w.tenantId !== undefined ? { tenantId: w.tenantId } : {}) };
      apply(change);
      changes?.publish(change);
    };
    unsubscribers.push(store.onWrite!(apiKeysCollection.name, local('api_keys')));
    unsubscribers.push(store.onWrite!(tenantsCollection.name, local('tenants')));
  }
  if (changes) unsubscribers.push(changes.listen({ onChange: apply, onReset: clear }));

  const caching = (): boolean => !closed && follows && (changes ? changes.live : store.kind === 'embedded');

  /** Stores `doc` as the newest entry, making room by dropping the oldest. */
  const put = <T>(map: Map<string, Entry<T>>, id: string, doc: T, at: number, dropped?: (oldest: T) => void): void => {
    map.delete(id);
    if (map.size >= maxEntries) {
      const [oldestId, oldest] = map.entries().next().value as [string, Entry<T>];
      map.delete(oldestId);
      dropped?.(oldest.doc);
    }
    map.set(id, { doc: deepFreeze(doc), at });
  };

  return {
    async authenticate(token) {
      const parsed = parseApiKey(token);
      if (!parsed) return { ok: false, error: 'malformed' };
      const secretHash = hashSecret(parsed.secret);
      const use = caching();
      if (use) {
        const now = clock();
        const k = keys.get(secretHash);
        if (k !== undefined && now - k.at <= maxAgeMs && k.doc._id === parsed.keyId && k.doc.tenantId === parsed.tenantId) {
          const t = tenants.get(parsed.tenantId);
          if (t !== undefined && now - t.at <= maxAgeMs) {
            hits += 1;
            return { ok: true, tenant: t.doc, key: k.doc };
          }
        }
      }
      misses += 1;
      const seen = generation;
      const result = await resolveApiKey(store, parsed, secretHash);
      if (result.ok && use && seen === generation && caching()) {
        const at = clock();
        const old = hashById.get(result.key._id);
        if (old !== undefined && old !== secretHash) keys.delete(old);
        put(keys, secretHash, result.key, at, (oldest) => hashById.delete(oldest._id));
        hashById.set(result.key._id, secretHash);
        put(tenants, parsed.tenantId, result.tenant, at);
      }
      return result;
    },
    get caching() {
      return caching();
    },
    stats: () => ({ hits, misses, keys: keys.size, tenants: tenants.size }),
    clear,
    close() {
      closed = true;
      for (const u of unsubscribers.splice(0)) u();
      clear();
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !(value instanceof Date)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
