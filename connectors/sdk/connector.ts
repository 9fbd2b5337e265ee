import type { z } from 'zod';
import type { ObjectSchema } from '../../mappings/index.ts';
import type { CheckResult, ConnectorExample, ObjectType, OutboundUrl, RateLimit } from './connector-definition.ts';
import type { ConnectorContext } from './connector-context.ts';
import type { InboundMessage, OutboundMessage, ReceivePage, ReceiveRequest, SentMessage } from './message-types.ts';
import type { GetRequest, PullPage, PullRequest, RemoteRecord } from './pull-types.ts';
import type { PushOp, PushRequest, PushResult } from './push-types.ts';
import type { SettingResult } from './setting-issue.ts';
import type { WebhookInput, WebhookParseResult, WebhookSettings } from './webhook-types.ts';
import type { WebhookScheme } from './webhook-schemes.ts';

/** What a connector can do, as the registry lists it. */
export interface ConnectorCapabilities {
  pull: boolean;
  get: boolean;
  /** The writes it makes; empty when it writes nothing. */
  push: PushOp[];
  webhook: boolean;
  messages: { send: boolean; receive: boolean };
}

/** One object type as the registry lists it. */
export interface ObjectDescriptor {
  name: string;
  description?: string;
  schema: ObjectSchema;
  samples: Record<string, unknown>[];
  operations: PushOp[];
}

/** A connector as `GET /v1/connectors` lists it; admin tools build their forms from it. */
export interface ConnectorDescriptor {
  id: string;
  displayName: string;
  description?: string;
  /** JSON Schema (2020-12) of the config, as sent (defaults are optional). */
  configSchema: Record<string, unknown>;
  /** JSON Schema (2020-12) of the credentials. */
  credentialsSchema: Record<string, unknown>;
  capabilities: ConnectorCapabilities;
  /** The object types; for a connector whose objects come from its config, those of the given config. */
  objects: ObjectDescriptor[];
  /** True when each connection's config declares its own object types. */
  objectsFromConfig: boolean;
  rateLimits: RateLimit[];
  /** The signature scheme of its webhooks when it has exactly one; null otherwise. */
  webhookScheme: WebhookScheme | null;
  /** Every scheme a connection may pick (`config.scheme` for the generic webhook connector). */
  webhookSchemes: WebhookScheme[];
  examples: ConnectorExample[];
}

/**
 * A connector as the hub uses it, built by `defineConnector`. Config and credentials come in as
 * stored (`unknown`); build contexts with `createConnectorContext`, which validates them, and
 * call the capabilities through these methods only. Absent capabilities are undefined.
 */
export interface Connector {
  readonly id: string;
  readonly displayName: string;
  readonly description: string | undefined;
  readonly configSchema: z.ZodType;
  readonly credentialsSchema: z.ZodType;
  readonly capabilities: ConnectorCapabilities;
  /** Validates a config (schema, then storable keys). */
  parseConfig(input: unknown): SettingResult<unknown>;
  /** Validates credentials against the schema for this (already parsed) config; without one, against the general schema. */
  parseCredentials(input: unknown, config: unknown): SettingResult<unknown>;
  /** Object types for a parsed config; without one, the fixed ones. */
  objects(config?: unknown): Readonly<Record<string, ObjectType>>;
  /** The field schema of one object type, or undefined when the connector has no such object. */
  objectSchema(config: unknown, name: string): ObjectSchema | undefined;
  rateLimits(config?: unknown): readonly RateLimit[];
  /** URLs in a parsed config the hub must check before saving it; `path` is '' when the connector did not say. */
  outboundUrls(config: unknown): OutboundUrl[];
  /** How this connection's webhooks are verified; undefined when the connector takes none. */
  webhookSettings(config: unknown): WebhookSettings | undefined;
  examples(): readonly ConnectorExample[];
  /** Never throws for vendor failures: they come back as `{ ok: false, code }`. */
  check(ctx: ConnectorContext): Promise<CheckResult>;
  readonly pull: ((ctx: ConnectorContext, request: PullRequest) => Promise<PullPage>) | undefined;
  readonly get: ((ctx: ConnectorContext, request: GetRequest) => Promise<RemoteRecord | null>) | undefined;
  readonly push: ((ctx: ConnectorContext, request: PushRequest) => Promise<PushResult>) | undefined;
  readonly parseWebhook: ((input: WebhookInput, config: unknown) => Promise<WebhookParseResult>) | undefined;
  readonly sendMessage: ((ctx: ConnectorContext, message: OutboundMessage) => Promise<SentMessage>) | undefined;
  readonly receiveMessages: ((ctx: ConnectorContext, request: ReceiveRequest) => Promise<ReceivePage>) | undefined;
  readonly parseInboundMessages: ((input: WebhookInput, config: unknown) => Promise<InboundMessage[]>) | undefined;
  /** The registry entry; with a config, its object types and rate limits. */
  describe(config?: unknown): ConnectorDescriptor;
}
