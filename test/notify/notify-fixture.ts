import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Worker } from 'bullmq';
import { expect } from 'vitest';
import { notificationsCollection, type NotificationDoc } from '../../core/notifications/index.ts';
import { createWhatsAppWebSessions, type WhatsAppWebGateway } from '../../connectors/whatsapp-web/index.ts';
import { bridgeWhatsAppWebSessions, createInboundMessageBus, createNotifyWebhookHandler, localWhatsAppWebSends, requestNotification, type InboundMessageListener } from '../../queues/notify/index.ts';
import type { Store } from '../../core/store/index.ts';
import type { InboundWebhookHandler } from '../../webhooks/index.ts';
import { connectRedis, createQueues, type HubQueues, type WorkerContext } from '../../queues/index.ts';
import { notifyWorker } from '../../queues/workers/notify-worker.ts';
import { webhooksWorker } from '../../queues/workers/webhooks-worker.ts';
import { testApp } from '../helpers/test-services.ts';
import { expectStatus, waitFor } from '../helpers/expect-and-wait.ts';
import { serveLoopback } from '../helpers/loopback-server.ts';
import { testWorker } from '../helpers/test-worker.ts';
import { dropQueues, REDIS_URL } from '../helpers/test-queues.ts';
export { expectStatus, waitFor };

export { REDIS_URL };

/**
 * The hub's app behind a real loopback HTTP server (providers post webhooks to it, and Twilio
 * signs the URL), an in-memory store, real Redis queues under a fresh prefix, and the `notify`
 * and `webhooks` workers running on a clock the test moves.
 */
export async function notifyFixture(file: string, options: { start?: Date; listeners?: InboundMessageListener[]; whatsappWebGateway?: WhatsAppWebGateway } = {}) {
  let clock = options.start ?? new Date();
  const now = () => new Date(clock.getTime());
  let app: ReturnType<typeof testApp>['app'] | undefined;
  const { server, url: publicUrl } = await serveLoopback(() => app?.fetch);
  const redis = connectRedis(REDIS_URL);
  const prefix = `t-notify-${file}-${randomUUID().slice(0, 8)}`;
  const queues: HubQueues = createQueues({ connection: redis, prefix });
  let handler: InboundWebhookHandler | undefined;
  const gateway = options.whatsappWebGateway;
  const whatsappWeb =
    gateway === undefined
      ? undefined
      : createWhatsAppWebSessions({ dataDir: '/nonexistent-whatsapp-web', createGateway: () => gateway });
  const fixture = testApp({ queues, now, env: { HUB_PUBLIC_URL: publicUrl } });
  const { services } = fixture;
  const bridged =
    whatsappWeb === undefined
      ? undefined
      : bridgeWhatsAppWebSessions({ sessions: whatsappWeb, store: services.store, handler: { name: 'notify', handle: (e, c) => handler!.handle(e, c) }, logger: services.logger, now });
  if (bridged !== undefined) services.whatsappWeb = bridged;
  app = fixture.app;
  const inbound = createInboundMessageBus(options.listeners ?? []);
  handler = createNotifyWebhookHandler({ inbound, logger: services.logger });
  const ctx: WorkerContext = {
    store: services.store,
    vault: services.vault,
    queues,
    logger: services.logger,
    now,
    publicUrl,
    allowPrivateUrls: true,
    webhookHandlers: [handler],
    inboundMessages: inbound,
    notify: { concurrency: 8, ...(bridged !== undefined ? { whatsappWebSends: localWhatsAppWebSends({ sessions: bridged, store: services.store }) } : {}) },
  };
  const workers: Worker[] = [];
  for (const [name, spec] of [['notify', notifyWorker(ctx)], ['webhooks', webhooksWorker(ctx)]] as const) {
    workers.push(testWorker(name, spec, prefix));
  }

  const tenant = async (slug: string) => {
    const t = await fixture.tenant(`${slug}-${randomUUID().slice(0, 6)}`);
    const call = (method: string, path: string, body?: unknown) => fixture.call(method, path, { key: t.key, ...(body === undefined ? {} : { body }) });
    const db = services.store.forTenant(t.id);
    const notification = async (id: string): Promise<NotificationDoc> => {
      const doc = await db.collection(notificationsCollection).findById(id);
      if (doc === null) throw new Error(`no notification ${id}`);
      return doc;
    };
    /** Waits until the notification reaches one of `statuses`. */
    const settled = (id: string, statuses: NotificationDoc['status'][], timeoutMs?: number) =>
      waitFor(async () => {
        const doc = await db.collection(notificationsCollection).findById(id);
        return doc !== null && statuses.includes(doc.status) ? doc : undefined;
      }, timeoutMs, `notification ${id} ${statuses.join('|')}`);
    const connection = async (body: Record<string, unknown>): Promise<string> => {
      const created = await expectStatus<{ connection?: { id: string }; id?: string }>(call('POST', '/v1/connections', { name: `test ${String(body['connector'])}`, ...body }), 201);
      return (created.connection?.id ?? created.id)!;
    };
    const person = async (body: Record<string, unknown>): Promise<string> => {
      const created = await expectStatus<{ person?: { id: string }; id?: string }>(call('POST', '/v1/people', body), 201);
      return (created.person?.id ?? created.id)!;
    };
    return { ...t, call, db, notification, settled, connection, person };
  };

  return {
    ...fixture,
    queues,
    ctx,
    inbound,
    publicUrl,
    now,
    /** Moves the hub's clock. */
    advance(ms: number) {
      clock = new Date(clock.getTime() + ms);
    },
    setClock(at: Date) {
      clock = at;
    },
    /** Runs the sweep the job scheduler would run: releases notifications that fell due by the hub's clock. */
    async sweep() {
      await queues.get('notify').add('sweep', {}, { removeOnComplete: true });
    },
    tenant,
    async close() {
      await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
      await dropQueues(queues);
      await redis.quit().catch(() => redis.disconnect());
      await bridged?.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Probe notifications to one person of a tenant, each stored with its own dedupe key under `slug`
 * (its job is what a send runs), and a way to read one back.
 */
export function probeNotifications(deps: { store: Store; now: () => Date }, { tenantId, personId, slug }: { tenantId: string; personId: string; slug: string }) {
  const db = deps.store.forTenant(tenantId);
  let n = 0;
  return {
    async notification(): Promise<string> {
      n += 1;
      const requested = await requestNotification(deps, {
        tenantId,
        dedupeKey: `${slug}:${n}`,
        purpose: 'probe',
        recipient: { personId },
        templateKey: 'probe.status',
        vars: { 'milestone.title': 'Roof waterproofing', 'project.name': 'Sharma Residency', 'owner.name': 'Farhan', dueDate: '2026-03-15', replyOptions: 'Reply 1 on track, 2 delayed, 3 done', probeRef: '#P7K2M' },
      });
      if (!requested.ok) throw new Error(requested.error.message);
      return requested.value.notificationId;
    },
    async doc(id: string): Promise<NotificationDoc> {
      return (await db.collection(notificationsCollection).findById(id))!;
    },
  };
}
