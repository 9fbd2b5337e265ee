import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { notificationsCollection, parseDuration } from '../../core/notifications/index.ts';
import {
  getProbePolicy,
  getProbeSchedule,
  nextProbeAt,
  probesCollection,
  probeTargetProblem,
  setProbeOverride,
  type ProbeDoc,
} from '../../core/probes/index.ts';
import { newId } from '../../core/store/index.ts';
import { sendProbe } from '../../queues/probes/index.ts';
import type { AppEnv } from '../app-env.ts';
import { domainProblem, jsonOut, visibleMilestone } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';

const MilestoneParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });
const ProbeParam = z.object({ probeId: z.string().min(1).max(64).openapi({ param: { name: 'probeId', in: 'path' } }) });
const duration = z
  .string()
  .max(40)
  .refine((value) => (parseDuration(value) ?? 0) >= 3_600_000, { message: 'an ISO 8601 duration of at least an hour, such as P3D or PT12H' })
  .openapi({ example: 'P3D' });

const OutcomeSchema = z
  .object({ kind: z.string(), percentComplete: z.number().optional(), events: z.array(z.string()), delay: z.object({ category: z.string(), text: z.string() }).loose().optional(), messageKey: z.string(), needsReview: z.boolean() })
  .loose()
  .openapi('ProbeOutcome');

const ProbeSchema = z
  .object({
    id: z.string(),
    milestoneId: z.string(),
    personId: z.string(),
    ref: z.string().openapi({ example: '#P7K2M' }),
    trigger: z.enum(['manual', 'schedule']),
    status: z.enum(['sent', 'clarification_sent', 'answered', 'expired']),
    replyOptions: z.array(z.object({ reply: z.string(), meaning: z.string() })),
    channel: z.string().optional(),
    notificationId: z.string().optional(),
    notificationStatus: z.string().optional(),
    sentAt: z.string(),
    answeredAt: z.string().optional(),
    clarificationsSent: z.number().int(),
    replyText: z.string().optional(),
    outcome: OutcomeSchema.optional(),
    replies: z.array(z.object({ channel: z.string(), text: z.string(), receivedAt: z.string(), matchedBy: z.string(), outcome: OutcomeSchema })),
  })
  .openapi('Probe');

const OverrideSchema = z
  .union([z.object({ every: duration }).strict(), z.object({ paused: z.literal(true) }).strict()])
  .openapi('ProbeOverride', { description: 'A different base interval (tightening near the due date still applies), or no scheduled probes' });

const ScheduleSchema = z
  .object({
    milestoneId: z.string(),
    override: OverrideSchema.nullable(),
    next: z.union([z.object({ kind: z.literal('scheduled'), at: z.string(), basis: z.string() }), z.object({ kind: z.literal('skip'), reason: z.string() })]),
    lastProbeAt: z.string().optional(),
    lastResponseAt: z.string().optional(),
    awaitingResponseSince: z.string().optional(),
  })
  .openapi('ProbeSchedule');

const probeNow = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/probes',
  tags: ['probes'],
  summary: "Ask the milestone's primary owner for status now, on their first available channel",
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager', 'owner', 'integration')] as const,
  request: { params: MilestoneParam },
  responses: {
    202: { description: 'The probe is recorded and its message queued', content: { 'application/json': { schema: z.object({ probeId: z.string() }) } } },
    ...problemResponses(401, 403, 404, 409, 422),
  },
});

const listProbes = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}/probes',
  tags: ['probes'],
  summary: "A milestone's probes, newest first, with the replies each got",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: MilestoneParam, query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: { 200: { description: 'Probes', content: { 'application/json': { schema: z.object({ items: z.array(ProbeSchema) }) } } }, ...problemResponses(400, 401, 404) },
});

const getProbe = createRoute({
  method: 'get',
  path: '/v1/probes/{probeId}',
  tags: ['probes'],
  summary: 'One probe, with its delivery and replies',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: ProbeParam },
  responses: { 200: { description: 'The probe', content: { 'application/json': { schema: ProbeSchema } } }, ...problemResponses(401, 404) },
});

const getSchedule = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}/probe-schedule',
  tags: ['probes'],
  summary: 'When the milestone is probed next, and why',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: MilestoneParam },
  responses: { 200: { description: 'The schedule', content: { 'application/json': { schema: ScheduleSchema } } }, ...problemResponses(401, 404) },
});

const putSchedule = createRoute({
  method: 'put',
  path: '/v1/milestones/{id}/probe-schedule',
  tags: ['probes'],
  summary: "Override the milestone's probe schedule (`{ \"override\": null }` returns to the tenant's)",
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: MilestoneParam, body: { required: true, content: { 'application/json': { schema: z.object({ override: OverrideSchema.nullable() }).strict() } } } },
  responses: { 200: { description: 'The schedule', content: { 'application/json': { schema: ScheduleSchema } } }, ...problemResponses(400, 401, 403, 404) },
});

/** A probe as the API shows it; the channel and delivery status come from its notification. */
async function probesOut(c: Context<AppEnv>, probes: readonly ProbeDoc[]) {
  const ids = probes.map((p) => p.notificationId).filter((id): id is string => id !== undefined);
  const notifications = ids.length === 0 ? [] : await c.get('db').collection(notificationsCollection).find({ _id: { $in: ids } }, { projection: { _id: 1, channel: 1, status: 1 } });
  const byId = new Map(notifications.map((n) => [n._id, n]));
  return probes.map((p) => {
    const n = p.notificationId ? byId.get(p.notificationId) : undefined;
    const channel = p.channel ?? n?.channel;
    return jsonOut({
      id: p._id,
      milestoneId: p.milestoneId,
      personId: p.personId,
      ref: p.ref,
      trigger: p.trigger,
      status: p.status,
      replyOptions: p.replyOptions,
      ...(channel ? { channel } : {}),
      ...(p.notificationId ? { notificationId: p.notificationId } : {}),
      ...(n ? { notificationStatus: n.status } : {}),
      sentAt: p.sentAt,
      ...(p.answeredAt ? { answeredAt: p.answeredAt } : {}),
      clarificationsSent: p.clarificationsSent,
      ...(p.replyText !== undefined ? { replyText: p.replyText } : {}),
      ...(p.outcome ? { outcome: p.outcome } : {}),
      replies: (p.replies ?? []).map((r) => ({ channel: r.channel, text: r.text, receivedAt: r.receivedAt, matchedBy: r.matchedBy, outcome: r.outcome })),
    });
  });
}

async function scheduleOut(c: Context<AppEnv>, milestoneId: string) {
  const milestone = await visibleMilestone(c, milestoneId);
  const schedule = await getProbeSchedule(c.get('db'), milestoneId);
  const next = nextProbeAt({
    milestone: {
      category: milestone.statusCategory,
      ...(milestone.priority ? { criticality: milestone.priority } : {}),
      ...(milestone.risk ? { risk: milestone.risk } : {}),
      ...(milestone.dueDate ? { dueDate: milestone.dueDate } : {}),
      ...(schedule?.override ? { probe: schedule.override } : {}),
    },
    policy: (await getProbePolicy(c.get('db'))).policy,
    ...(schedule?.lastProbeAt ? { lastProbeAt: schedule.lastProbeAt } : {}),
    ...(schedule?.lastResponseAt ? { lastResponseAt: schedule.lastResponseAt } : {}),
    now: c.get('services').now(),
    timeZone: c.get('auth').tenant.timeZone,
  });
  return jsonOut({
    milestoneId,
    override: schedule?.override ?? null,
    next: next.kind === 'scheduled' ? { kind: next.kind, at: next.at, basis: next.basis } : { kind: next.kind, reason: next.reason },
    ...(schedule?.lastProbeAt ? { lastProbeAt: schedule.lastProbeAt } : {}),
    ...(schedule?.lastResponseAt ? { lastResponseAt: schedule.lastResponseAt } : {}),
    ...(schedule?.awaitingResponseSince ? { awaitingResponseSince: schedule.awaitingResponseSince } : {}),
  });
}

export function registerProbeRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(probeNow, async (c) => {
    const { id } = c.req.valid('param');
    const services = c.get('services');
    const sent = await sendProbe(
      { store: services.store, ...(services.queues ? { queues: services.queues } : {}), now: services.now },
      { tenantId: c.get('auth').tenant._id, milestoneId: id, trigger: 'manual', slotKey: `manual:${newId('req')}`, role: c.get('auth').role },
    );
    if (!sent.ok) {
      if (sent.error.code === 'notification_refused') throw new ApiError('unprocessable', { detail: sent.error.message });
      throw domainProblem(probeTargetProblem(sent.error));
    }
    return c.json({ probeId: sent.value.probe._id }, 202);
  });

  app.openapi(listProbes, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    const probes = await c.get('db').collection(probesCollection).find({ milestoneId: id }, { sort: { sentAt: -1 }, limit: c.req.valid('query').limit });
    return c.json({ items: await probesOut(c, probes) }, 200);
  });

  app.openapi(getProbe, async (c) => {
    const probe = await c.get('db').collection(probesCollection).findById(c.req.valid('param').probeId);
    if (!probe) throw new ApiError('not_found', { detail: 'No such probe' });
    await visibleMilestone(c, probe.milestoneId);
    return c.json((await probesOut(c, [probe]))[0]!, 200);
  });

  app.openapi(getSchedule, async (c) => c.json(await scheduleOut(c, c.req.valid('param').id), 200));

  app.openapi(putSchedule, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    await setProbeOverride(c.get('db'), id, c.req.valid('json').override);
    return c.json(await scheduleOut(c, id), 200);
  });
}
