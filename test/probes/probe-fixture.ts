import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Job, type Worker } from 'bullmq';
import { expect } from 'vitest';
import { milestonesCollection, type MilestoneDoc } from '../../core/milestones/index.ts';
import { notificationsCollection, type NotificationDoc } from '../../core/notifications/index.ts';
import { probesCollection, type ProbeDoc } from '../../core/probes/index.ts';
import { escalationEventsHook, ruleNoticesHook } from '../../queues/escalations/index.ts';
import { connectRedis, createQueues, scheduleOutboxRelay, workerSpecs, type HubQueues, type QueueName, type WorkerContext } from '../../queues/index.ts';
import { createInboundMessageBus, createNotifyWebhookHandler } from '../../queues/notify/index.ts';
import { jiraCommentReplies, probeReplyListener } from '../../queues/probes/index.ts';
import { testApp } from '../helpers/test-services.ts';
import { expectStatus, waitFor } from '../helpers/expect-and-wait.ts';
import { serveLoopback } from '../helpers/loopback-server.ts';
import { testWorker } from '../helpers/test-worker.ts';
import { dropQueues, REDIS_URL, sweepPrefix } from '../helpers/test-queues.ts';
export { expectStatus, waitFor };

export { REDIS_URL };

/** 11:00 IST on a Tuesday: outside the default 21:00–08:00 quiet hours. */
export const MORNING = new Date('2026-03-03T05:30:00Z');
export const HOUR = 3_600_000;

/** Escalation levels the escalation suites share: the owner, then up the management chain, then the client. */
export const ESCALATION_LEVELS = [
  { notify: ['owner'] },
  { notify: ['owner.manager'], after: 'PT4H' },
  { notify: ['owner.manager.manager'], after: 'PT8H' },
  { notify: ['client.contact'], after: 'P1D' },
];

const HUB_QUEUES: QueueName[] = ['outbox', 'webhooks', 'notify', 'probes', 'escalations'];

/**
 * The hub as `hub start` wires probes and escalations: the app behind a real loopback server
 * (providers post signed webhooks to it), an in-memory store, real Redis queues under a fresh
 * prefix, the outbox relay, and the outbox, webhooks, notify, probes and escalations workers,
 * all on one clock the test moves. Probe replies reach the probe listener through the notify
 * pipeline's inbound bus; Jira comments through the webhook handler; domain events through the
 * escalation hook.
 */
export async function probeFixture(file: string, options: { start?: Date } = {}) {
  let clock = options.start ?? MORNING;
  const now = () => new Date(clock.getTime());
  let app: ReturnType<typeof testApp>['app'] | undefined;
  const { server, url: publicUrl } = await serveLoopback(() => app?.fetch);
  const redis = connectRedis(REDIS_URL);
  const prefix = `t-probes-${file}-${randomUUID().slice(0, 8)}`;
  const queues: HubQueues = createQueues({ connection: redis, prefix });
  const fixture = testApp({ queues, now, env: { HUB_PUBLIC_URL: publicUrl } });
  app = fixture.app;
  const { services } = fixture;
  const deps = { store: services.store, queues, now };
  const inbound = createInboundMessageBus([probeReplyListener(deps)]);
  const ctx: WorkerContext = {
    store: services.store,
    vault: services.vault,
    queues,
    logger: services.logger,
    now,
    publicUrl,
    allowPrivateUrls: true,
    webhookHandlers: [createNotifyWebhookHandler({ inbound, logger: services.logger }), jiraCommentReplies(deps)],
    domainEvents: [escalationEventsHook(deps), ruleNoticesHook({ ...deps, publicUrl })],
    inboundMessages: inbound,
    notify: { concurrency: 8 },
  };
  const specs = workerSpecs(ctx);
  const workers: Worker[] = [];
  for (const name of HUB_QUEUES) {
    const spec = specs[name]!;
    workers.push(testWorker(name, spec, prefix));
  }
  await scheduleOutboxRelay(queues, { everyMs: 100 });

  /** Adds a job to a hub queue and waits until a worker has finished it; returns its result. */
  async function runJob<T = unknown>(queue: 'probes' | 'escalations', name: string, data: Record<string, unknown> = {}): Promise<T> {
    const job = await queues.get(queue).add(name, data, { jobId: `${name}-${randomUUID()}`, attempts: 1 });
    const done = await waitFor(async () => {
      const state = await job.getState();
      return state === 'completed' || state === 'failed' ? state : undefined;
    }, 20_000, `${queue} ${name} job`);
    const finished = (await Job.fromId(queues.get(queue), job.id!))!;
    if (done === 'failed') throw new Error(`${queue} ${name} failed: ${finished.failedReason}`);
    return finished.returnvalue as T;
  }

  const tenant = async (slug: string) => {
    const t = await fixture.tenant(`${slug}-${randomUUID().slice(0, 6)}`);
    const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      fixture.call(method, path, { key: t.key, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
    const db = services.store.forTenant(t.id);
    const connection = async (body: Record<string, unknown>): Promise<string> => {
      const created = await expectStatus<{ connection?: { id: string }; id?: string }>(call('POST', '/v1/connections', { name: `test ${String(body['connector'])}`, ...body }), 201);
      return (created.connection?.id ?? created.id)!;
    };
    const person = async (body: Record<string, unknown>): Promise<string> => {
      const created = await expectStatus<{ person?: { id: string }; id?: string }>(call('POST', '/v1/people', body), 201);
      return (created.person?.id ?? created.id)!;
    };
    const project = async (body: Record<string, unknown> = {}): Promise<string> => {
      const created = await expectStatus<{ id: string }>(call('POST', '/v1/projects', { name: 'Sharma Residency', client: { name: 'Sharma Builders', stateCode: '27' }, contractValue: 50_00_000_00, ...body }), 201);
      return created.id;
    };
    const milestone = async (projectId: string, ownerId: string | null, body: Record<string, unknown> = {}): Promise<{ id: string; title: string; status: string }> =>
      expectStatus(
        call('POST', '/v1/milestones', {
          projectId,
          kind: 'milestone',
          title: 'Slab casting, 3rd floor',
          dueDate: '2026-03-20',
          ...(ownerId ? { owners: [{ kind: 'individual', ref: ownerId, role: 'primary' }] } : {}),
          ...body,
        }),
        201,
      );
    const stored = async (id: string): Promise<MilestoneDoc> => (await db.collection(milestonesCollection).findById(id))!;
    const probe = async (id: string): Promise<ProbeDoc> => (await db.collection(probesCollection).findById(id))!;
    const notifications = (filter: Record<string, unknown> = {}): Promise<NotificationDoc[]> => db.collection(notificationsCollection).find(filter, { sort: { queuedAt: 1 } });
    /** Waits until the notification reaches one of `statuses`. */
    const settled = (id: string, statuses: NotificationDoc['status'][] = ['sent', 'delivered', 'read', 'failed'], timeoutMs?: number) =>
      waitFor(async () => {
        const doc = await db.collection(notificationsCollection).findById(id);
        return doc !== null && statuses.includes(doc.status) ? doc : undefined;
      }, timeoutMs, `notification ${id} ${statuses.join('|')}`);
    return { ...t, call, db, connection, person, project, milestone, stored, probe, notifications, settled };
  };

  return {
    ...fixture,
    queues,
    ctx,
    deps,
    inbound,
    publicUrl,
    now,
    runJob,
    /** Moves the hub's clock. */
    advance(ms: number) {
      clock = new Date(clock.getTime() + ms);
    },
    tenant,
    async close() {
      await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
      await dropQueues(queues);
      await sweepPrefix(redis, prefix);
      await redis.quit().catch(() => redis.disconnect());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type ProbeFixture = Awaited<ReturnType<typeof probeFixture>>;
export type ProbeTenant = Awaited<ReturnType<ProbeFixture['tenant']>>;
