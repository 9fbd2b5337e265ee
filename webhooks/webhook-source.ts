import type { WebhookSecret } from './verifiers/index.ts';

/** One decrypted webhook secret of a connection, with the stored secret's id. */
export interface SourceSecret extends WebhookSecret {
  id: string;
}

/** Everything the intake needs to know about the connection a webhook URL names. */
export interface WebhookSource {
  tenantId: string;
  connectionId: string;
  connectorId: string;
  /** A signature scheme id (see `schemeIds`); an unknown one makes the endpoint answer 404. */
  scheme: string;
  /** Options for the scheme's verifier, e.g. `signatureHeader` or `organizationId`. */
  schemeOptions: Readonly<Record<string, unknown>>;
  /** The connection's secrets; the verifier also skips any that expire before the request is checked. */
  secrets: readonly SourceSecret[];
  maxBodyBytes: number;
  /** False for paused and deleted connections: they answer 404 like unknown ones. */
  active: boolean;
}

/** Finds the source for the connection id in a webhook URL, or null when there is none. */
export type ResolveWebhookSource = (connectionId: string) => Promise<WebhookSource | null>;

/** The body cap when a connection sets none: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
