import type { Connector } from './connector.ts';
import type { ConnectorContext, ConnectorLogger } from './connector-context.ts';
import type { ConnectorFetch, OutboundAgents } from './create-outbound-http.ts';
import type { SettingIssue } from './setting-issue.ts';

/** A context, or why the stored config or credentials no longer fit the connector's schemas. */
export type ConnectorContextResult =
  | { ok: true; context: ConnectorContext }
  | { ok: false; error: 'invalid_config' | 'invalid_credentials'; issues: SettingIssue[] };

/**
 * Builds the context a connector runs in, validating the config and credentials first so the
 * connector gets exactly the types its schemas promise. `saveCredentials` is where refreshed
 * tokens go; without one they live only as long as this context.
 * @example
 * const made = createConnectorContext({ connector, config: conn.config, credentials, fetch: outbound.fetch, logger });
 */
export function createConnectorContext({
  connector,
  config,
  credentials,
  fetch,
  agents,
  logger,
  now = () => new Date(),
  signal = new AbortController().signal,
  saveCredentials,
  connectionId,
  tenantId,
}: {
  connector: Connector;
  config: unknown;
  credentials: unknown;
  fetch: ConnectorFetch;
  agents?: OutboundAgents;
  logger: ConnectorLogger;
  now?: () => Date;
  signal?: AbortSignal;
  saveCredentials?: (updated: unknown) => Promise<void>;
  connectionId?: string;
  tenantId?: string;
}): ConnectorContextResult {
  const parsedConfig = connector.parseConfig(config);
  if (!parsedConfig.ok) return { ok: false, error: 'invalid_config', issues: parsedConfig.issues };
  const parsedCredentials = connector.parseCredentials(credentials, parsedConfig.value);
  if (!parsedCredentials.ok) return { ok: false, error: 'invalid_credentials', issues: parsedCredentials.issues };
  let current = parsedCredentials.value;
  const context: ConnectorContext = {
    connectionId,
    tenantId,
    config: parsedConfig.value,
    get credentials() {
      return current;
    },
    fetch,
    agents,
    logger,
    now,
    async saveCredentials(updated) {
      const checked = connector.parseCredentials(updated, parsedConfig.value);
      if (!checked.ok) throw new TypeError(`${connector.id}: saveCredentials got credentials that do not fit its schema: ${checked.issues.map((i) => i.path).join(', ')}`);
      current = checked.value;
      await saveCredentials?.(checked.value);
    },
    signal,
  };
  return { ok: true, context };
}
