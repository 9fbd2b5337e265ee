import type { ConnectionDoc } from './collections.ts';

/** A connection as the API shows it: never credentials or secret values. */
export interface ConnectionView {
  id: string;
  connector: string;
  name: string;
  config: Record<string, unknown>;
  status: ConnectionDoc['status'];
  webhookUrl: string;
  webhook: { secrets: Array<{ id: string; createdAt: Date; notAfter?: Date }>; maxBodyBytes?: number };
  hasCredentials: boolean;
  lastCheck?: { at: Date; ok: boolean; message?: string };
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt?: Date;
}

/** The public view of a connection; `publicUrl` is the hub's base URL (HUB_PUBLIC_URL). */
export function viewConnection(conn: ConnectionDoc, publicUrl: string): ConnectionView {
  return {
    id: conn._id,
    connector: conn.connector,
    name: conn.name,
    config: conn.config,
    status: conn.status,
    webhookUrl: `${publicUrl.replace(/\/+$/, '')}/v1/hooks/${conn._id}`,
    webhook: {
      secrets: conn.webhook.secrets.map((s) => ({ id: s.id, createdAt: s.createdAt, ...(s.notAfter === undefined ? {} : { notAfter: s.notAfter }) })),
      ...(conn.webhook.maxBodyBytes === undefined ? {} : { maxBodyBytes: conn.webhook.maxBodyBytes }),
    },
    hasCredentials: conn.credentials !== undefined,
    ...(conn.lastCheck === undefined ? {} : { lastCheck: conn.lastCheck }),
    version: conn.version,
    createdAt: conn.createdAt,
    updatedAt: conn.updatedAt,
    ...(conn.deletedAt === undefined ? {} : { deletedAt: conn.deletedAt }),
  };
}
