import { connectorRegistry, type ConnectorRegistry, type WebhookSettings } from '../connectors/index.ts';
import { activeWebhookSecrets, connectionsCollection, resolveWebhookRoute, webhookRoutesCollection, type ConnectionDoc } from '../core/connections/index.ts';
import type { Store } from '../core/store/index.ts';
import type { Vault } from '../core/vault/index.ts';
import { DEFAULT_MAX_BODY_BYTES, type ResolveWebhookSource, type WebhookSource } from './webhook-source.ts';

// An errored connection (e.g. a failed credential check) still receives webhooks; paused ones do not.
const RECEIVING = new Set<ConnectionDoc['status']>(['active', 'error']);
const MAX_CACHED_SECRETS = 10_000;
const MAX_CACHED_SOURCES = 10_000;

interface ResolverLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Resolves a webhook URL's connection id through the platform route index to the owning tenant
 * and its connection (`resolveWebhookRoute`), asks the connection's connector how its webhooks
 * are signed, and decrypts the secrets that are still active (`activeWebhookSecrets`).
 *
 * What it builds is kept per connection together with the connection's `version`, which every
 * change to a connection raises (secrets added or removed, config, status, deletion). Over a
 * shared database each request still reads the route and counts the connection at that version,
 * two index lookups without copying a document (requests arriving while such a check is under
 * way share it); only when either changed is the connection read and its source built again. So
 * a rotation, removal, pause or deletion takes effect for every request whose check starts after
 * the change is stored, in this process and in every other one sharing the store (a request that
 * joins a check already under way is at most that one lookup behind), and no request pays for
 * parsing the connector config or decrypting secrets that have not changed.
 *
 * The embedded store has one writer, this process, and reports its writes: there a write to a
 * connection or a route drops what was built for it as it is stored, and requests read nothing.
 */
export function createWebhookSourceResolver(deps: {
  store: Store;
  vault: Vault;
  logger?: ResolverLogger;
  /** @default connectorRegistry */
  connectors?: Pick<ConnectorRegistry, 'get'>;
  now?: () => Date;
}): ResolveWebhookSource {
  const { store, vault, logger, connectors = connectorRegistry, now = () => new Date() } = deps;

  // Plaintexts by ciphertext: a ciphertext never changes meaning (rotation writes a new one), so
  // this cannot go stale, and it spares an AES-GCM decryption per secret per request.
  const plaintexts = new Map<string, string>();
  const cachingVault: Vault = {
    ...vault,
    decrypt(ciphertext, ctx) {
      const key = `${ctx.tenantId}\u0000${ctx.purpose}\u0000${ciphertext}`;
      const cached = plaintexts.get(key);
      if (cached !== undefined) return { ok: true, value: cached };
      const plain = vault.decrypt(ciphertext, ctx);
      if (plain.ok) {
        if (plaintexts.size >= MAX_CACHED_SECRETS) plaintexts.delete(plaintexts.keys().next().value!);
        plaintexts.set(key, plain.value);
      }
      return plain;
    },
  };

  const settingsOf = (connection: ConnectionDoc, tenantId: string): WebhookSettings | undefined => {
    try {
      return connectors.get(connection.connector)?.webhookSettings(connection.config ?? {});
    } catch (err) {
      // A stored config its connector no longer accepts: no endpoint, rather than a 500 per request.
      logger?.warn({ tenantId, connectionId: connection._id, err: { message: (err as Error).message } }, 'webhook settings of the connection are invalid');
      return undefined;
    }
  };

  const routes = store.platform(webhookRoutesCollection);
  interface Built {
    version: number;
    source: WebhookSource;
    /** The check under way: requests that arrive meanwhile share it. */
    checking?: Promise<boolean> | undefined;
  }
  // `writes`: writes seen so far; a source read before one of them may be stale and is not kept.
  const state = { built: new Map<string, Built>(), writes: 0 };
  const built = state.built;
  const follows = store.kind === 'embedded' && typeof store.onWrite === 'function';
  if (follows) followWrites(store, new WeakRef(state));

  /** Whether the source built at `version` still stands: the route still names its tenant and the connection is still at that version. */
  async function unchanged(connectionId: string, cached: Built): Promise<boolean> {
    const [route, same] = await Promise.all([
      routes.findById(connectionId),
      store.forTenant(cached.source.tenantId).collection(connectionsCollection).count({ _id: connectionId, version: cached.version }),
    ]);
    return route !== null && route.active && route.tenant === cached.source.tenantId && same === 1;
  }

  return async function resolveWebhookSource(connectionId) {
    const cached = built.get(connectionId);
    if (cached && follows) return cached.source;
    if (cached) {
      cached.checking ??= unchanged(connectionId, cached).finally(() => {
        cached.checking = undefined;
      });
      if (await cached.checking) return cached.source;
      if (built.get(connectionId) === cached) built.delete(connectionId);
    }
    const readAt = state.writes;
    const route = await resolveWebhookRoute(store, connectionId);
    if (!route) return null;
    const { tenantId, connection } = route;
    const settings = settingsOf(connection, tenantId);
    if (!settings) return null;
    const source: WebhookSource = {
      tenantId,
      connectionId,
      connectorId: connection.connector,
      scheme: settings.scheme,
      schemeOptions: settings.options,
      // Those expiring later stay in the list: the verifier checks each secret's expiry per request.
      secrets: activeWebhookSecrets(cachingVault, { webhook: connection.webhook, tenantId }, now()),
      maxBodyBytes: connection.webhook?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      active: RECEIVING.has(connection.status),
    };
    if (follows && state.writes !== readAt) return source;
    if (built.size >= MAX_CACHED_SOURCES) built.delete(built.keys().next().value!);
    built.set(connectionId, { version: connection.version, source });
    return source;
  };
}

/**
 * Drops what a resolver built for a connection or route as soon as the store writes it. The store
 * outlives resolvers, so its listeners reach a resolver's cache only weakly, and remove themselves
 * once the resolver is gone. Module-level on purpose: a closure made inside the resolver would
 * share its scope and keep the cache alive.
 */
function followWrites(store: Store, held: WeakRef<{ built: Map<string, unknown>; writes: number }>): void {
  const stops: (() => void)[] = [];
  const dropChanged = (change: { ids: readonly string[] | null }): void => {
    const live = held.deref();
    if (live === undefined) {
      for (const stop of stops.splice(0)) stop();
      return;
    }
    live.writes += 1;
    if (change.ids === null) live.built.clear();
    else for (const id of change.ids) live.built.delete(id);
  };
  stops.push(store.onWrite!(connectionsCollection.name, dropChanged), store.onWrite!(webhookRoutesCollection.name, dropChanged));
}
