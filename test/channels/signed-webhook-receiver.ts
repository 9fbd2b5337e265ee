import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Connector, WebhookChange } from '../../connectors/sdk/index.ts';
import { verifiers, type SchemeId } from '../../webhooks/verifiers/index.ts';

/** One request the receiver took. */
export interface ReceivedWebhook {
  verified: boolean;
  reason?: string;
  changes: WebhookChange[];
}

export interface SignedWebhookReceiver {
  /** The public URL providers are told to call (what the signature covers). */
  readonly url: string;
  readonly received: readonly ReceivedWebhook[];
  /** Every change parsed so far, oldest first. */
  changes(): WebhookChange[];
  close(): Promise<void>;
}

/**
 * A stand-in for the hub's webhook intake, enough for channel tests: verifies the raw body with
 * the scheme's real verifier (403 on failure), then has the connector parse it. The pipeline
 * itself (dedupe, storage, queue) is tested in test/webhooks.
 */
export async function startSignedWebhookReceiver({
  connector,
  config,
  scheme,
  secret,
  path = '/v1/webhooks/conn-test',
}: {
  connector: Connector;
  config: unknown;
  scheme: SchemeId;
  secret: string;
  path?: string;
}): Promise<SignedWebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let base = '';
  const app = new Hono();
  app.post(path, async (c) => {
    const rawBody = new Uint8Array(await c.req.arrayBuffer());
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const url = `${base}${path}${new URL(c.req.url).search}`;
    const verdict = verifiers[scheme].verify({ rawBody, headers, url, secrets: [{ value: secret }], now: new Date() });
    if (!verdict.ok) {
      received.push({ verified: false, reason: verdict.reason, changes: [] });
      return c.body(null, 403);
    }
    const parsed = await connector.parseWebhook!({ headers, rawBody, url, receivedAt: new Date() }, config);
    if (!parsed.ok) {
      received.push({ verified: true, reason: parsed.error.message, changes: [] });
      return c.body(null, 400);
    }
    received.push({ verified: true, changes: parsed.changes });
    return c.body(null, 200);
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}${path}`,
    received,
    changes: () => received.flatMap((r) => r.changes),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
