import type { z } from 'zod';
import type { ObjectSchema } from '../../mappings/index.ts';
import type { ConnectorContext } from './connector-context.ts';
import type { InboundMessage, OutboundMessage, ReceivePage, ReceiveRequest, SentMessage } from './message-types.ts';
import type { GetRequest, PullPage, PullRequest, RemoteRecord } from './pull-types.ts';
import type { PushOp, PushRequest, PushResult } from './push-types.ts';
import type { WebhookInput, WebhookParseResult, WebhookSettings } from './webhook-types.ts';
import type { WebhookScheme } from './webhook-schemes.ts';

/** One object type a connector reads or writes (`issue`, `Invoice`), with its fields and sample records. */
export interface ObjectType {
  /** The fields, as mappings validate `remote` paths against them. */
  schema: ObjectSchema;
  /** Realistic records in the shape `pull` returns `data`; they validate against `schema`. */
  samples?: readonly Record<string, unknown>[];
  /** The writes this object takes. @default every operation of the connector's push */
  operations?: readonly PushOp[];
  description?: string;
}

/** A request quota the vendor publishes. Sync, polling and probes share it per connection. */
export interface RateLimit {
  requests: number;
  perSeconds: number;
  /** Whom the vendor counts against. @default 'connection' */
  scope?: 'connection' | 'account' | 'app';
  description?: string;
}

/** Why a check failed, in terms an admin can act on. */
export type CheckFailureCode = 'auth_failed' | 'unreachable' | 'refused_address' | 'rate_limited' | 'vendor_error' | 'misconfigured';

/** The outcome of `check`: the connection works, or what is wrong with it. */
export type CheckResult = { ok: true; message?: string } | { ok: false; code: CheckFailureCode; message: string };

/** A ready-made config for a known API, shipped as data. */
export interface ConnectorExample {
  name: string;
  description?: string;
  config: Record<string, unknown>;
}

/** A URL the connector will call, and where it sits in the config (`baseUrl`, `auth.tokenUrl`). */
export interface OutboundUrl {
  path: string;
  url: string;
}

/** Settings that may depend on the connection's config, or be the same for every connection. */
export type PerConfig<C, T> = T | ((config: C) => T);

/**
 * What `defineConnector` takes. `C` and `K` are the parsed config and credentials; every function
 * gets them already validated by `configSchema` and `credentialsSchema`.
 */
export interface ConnectorDefinition<C, K> {
  /** Lower-case letters, digits and hyphens: `jira`, `rest`, `whatsapp-cloud`. */
  id: string;
  displayName: string;
  description?: string;
  /** What a connection stores in plain text: URLs, ids, options. Never secrets. */
  configSchema: z.ZodType<C>;
  /** What a connection stores encrypted. Forms are built from it, so it names every field. */
  credentialsSchema: z.ZodType<K>;
  /** The exact credentials schema for a config, when it depends on one (e.g. on the auth type). */
  credentialsSchemaFor?: (config: C) => z.ZodType<K>;
  /** Object types: fixed, or described by the config (a generic REST API). */
  objects?: PerConfig<C, Readonly<Record<string, ObjectType>>>;
  rateLimits?: PerConfig<C, readonly RateLimit[]>;
  /**
   * Every URL in the config the connector will call; the hub checks each when a connection is
   * saved. Give the config path (`{ path: 'baseUrl', url }`) so a refusal points at the field.
   */
  outboundUrls?: (config: C) => ReadonlyArray<OutboundUrl | string>;
  /** Ready-made configs for known APIs. */
  examples?: () => readonly ConnectorExample[];
  /** One cheap authenticated call proving config and credentials work (`POST /v1/connections/{id}/test`). */
  check(ctx: ConnectorContext<C, K>): Promise<CheckResult>;
  capabilities?: {
    /** Changes to one object type, a page at a time, from a cursor. */
    pull?: (ctx: ConnectorContext<C, K>, request: PullRequest) => Promise<PullPage>;
    /** One record by id; null when the vendor has none. */
    get?: (ctx: ConnectorContext<C, K>, request: GetRequest) => Promise<RemoteRecord | null>;
    push?: {
      operations: readonly PushOp[];
      run: (ctx: ConnectorContext<C, K>, request: PushRequest) => Promise<PushResult>;
    };
    webhook?: {
      /** Schemes a connection may use; the first is the default. */
      schemes: readonly [WebhookScheme, ...WebhookScheme[]];
      /** The scheme and verifier options of one connection. @default the first scheme, no options */
      settings?: (config: C) => WebhookSettings;
      /** Turns a verified request into changes. Pure: no calls out. */
      parse: (input: WebhookInput, config: C) => WebhookParseResult | Promise<WebhookParseResult>;
    };
    messages?: {
      send?: (ctx: ConnectorContext<C, K>, message: OutboundMessage) => Promise<SentMessage>;
      receive?: (ctx: ConnectorContext<C, K>, request: ReceiveRequest) => Promise<ReceivePage>;
      /** Messages in a verified inbound webhook (Twilio, WhatsApp Cloud). */
      parseInbound?: (input: WebhookInput, config: C) => InboundMessage[] | Promise<InboundMessage[]>;
    };
  };
}
