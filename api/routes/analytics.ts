import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  cashFlowProjection,
  completionRate,
  daysToPay,
  delayPatterns,
  escalationCounts,
  ownerPerformance,
  receivablesAgeing,
  verificationTurnaround,
  type AnalyticsSource,
} from '../../core/analytics/index.ts';
import { billingInvoicesCollection, getBillingProfile } from '../../core/billing/index.ts';
import { dateInZone } from '../../core/domain/index.ts';
import { milestonesCollection, verificationsCollection } from '../../core/milestones/index.ts';
import { projectsCollection } from '../../core/projects/index.ts';
import type { BaseDoc, CollectionDef, Filter, TenantStore } from '../../core/store/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';

/** Escalations as the escalation sweeps store them; read only here. */
const escalationsCollection: CollectionDef<BaseDoc> = { name: 'escalations', scope: 'tenant' };

const instant = z
  .string()
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(v) && !Number.isNaN(Date.parse(v)), { error: 'must be a date (YYYY-MM-DD) or an ISO 8601 instant' });

const QueryFields = z.object({
  since: instant.optional().openapi({ description: 'Start of the window (inclusive)' }),
  until: instant.optional().openapi({ description: 'End of the window (exclusive)' }),
  projectId: z.string().min(1).max(64).optional(),
  client: z.string().trim().min(1).max(200).optional().openapi({ description: 'Client name, as on the project and its invoices' }),
  asOf: instant.optional().openapi({ description: 'The instant the figures are computed at (default: now)' }),
});
const windowInOrder = (q: { since?: string | undefined; until?: string | undefined }) => !q.since || !q.until || Date.parse(q.since) < Date.parse(q.until);

const Query = QueryFields.refine(windowInOrder, { error: 'since must be before until', path: ['since'] });

// One object (not an intersection), so the OpenAPI document lists each query parameter by name.
const CashFlowQuery = QueryFields.extend({
  weeks: z.coerce.number().int().min(1).max(260).optional(),
  months: z.coerce.number().int().min(1).max(60).optional(),
}).refine(windowInOrder, { error: 'since must be before until', path: ['since'] });

type Q = z.infer<typeof Query>;

interface Scope {
  db: TenantStore;
  now: Date;
  timeZone: string;
  window: { since?: Date; until?: Date };
  q: Q;
}

function scopeOf(c: Context<AppEnv>, q: Q): Scope {
  const timeZone = c.get('auth').tenant.timeZone;
  return {
    db: c.get('db'),
    now: q.asOf ? new Date(q.asOf) : c.get('services').now(),
    timeZone,
    window: { ...(q.since ? { since: new Date(q.since) } : {}), ...(q.until ? { until: new Date(q.until) } : {}) },
    q,
  };
}

/** `+05:30` for Asia/Kolkata at `at`. */
function zoneOffset(timeZone: string, at: Date): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d{2}:\d{2})/.exec(name);
  return m ? m[1]! : '+00:00';
}

/** Projects of a client, for filters on milestones (which name their project, not the client). */
async function projectIdsOf(s: Scope): Promise<string[] | undefined> {
  if (!s.q.client) return s.q.projectId ? [s.q.projectId] : undefined;
  const projects = await s.db.collection(projectsCollection).find({ 'client.name': s.q.client, ...(s.q.projectId ? { _id: s.q.projectId } : {}) }, { projection: { _id: 1 } });
  return projects.map((p) => p._id);
}

/**
 * Milestones as the pipelines read them: live ones of `projects` (all when undefined; see
 * `projectIdsOf`), as a leading `$match`, which the embedded store runs on its indexes. Their
 * `dueDate` is a calendar day, which the pipelines read as the start of that day in the tenant's
 * zone (`dueDayOffset`).
 */
function milestoneSource(s: Scope, projects: string[] | undefined, options: { windowOnDue?: boolean } = {}): AnalyticsSource {
  const match: Filter = { deletedAt: { $exists: false }, kind: { $ne: 'phase' } };
  if (projects) match.projectId = projects.length === 1 ? projects[0] : { $in: projects };
  if (options.windowOnDue !== false && (s.window.since || s.window.until)) {
    match.dueDate = {
      ...(s.window.since ? { $gte: dateInZone(s.window.since, s.timeZone) } : {}),
      ...(s.window.until ? { $lt: dateInZone(s.window.until, s.timeZone) } : {}),
    };
  }
  const collection = s.db.collection(milestonesCollection);
  return { aggregate: <R>(pipeline: Record<string, unknown>[]) => collection.aggregate<R>([{ $match: match }, ...pipeline]) };
}

function invoiceMatch(s: Scope): Filter {
  return { ...(s.q.projectId ? { projectId: s.q.projectId } : {}), ...(s.q.client ? { clientName: s.q.client } : {}) };
}

/** How the milestone metrics read milestones' calendar due dates at `now`. */
const milestoneOptions = (s: Scope) => ({ now: s.now, dueDayOffset: zoneOffset(s.timeZone, s.now) });

const route = (path: string, summary: string, description: string, query: z.ZodType = Query) =>
  createRoute({
    method: 'get',
    path: `/v1/analytics/${path}`,
    tags: ['analytics'],
    summary,
    description,
    security: bearerSecurity,
    middleware: [requireAuth('admin', 'manager', 'viewer')] as const,
    request: { query: query as typeof Query },
    responses: { 200: { description: summary, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } }, ...problemResponses(400, 401, 403) },
  });

const WINDOW = 'The window (`since`, `until`) applies to';

export function registerAnalyticsRoutes(app: OpenAPIHono<AppEnv>): void {
  const answer = (c: Context<AppEnv>, s: Scope, body: Record<string, unknown>) =>
    c.json({ asOf: s.now.toISOString(), timeZone: s.timeZone, ...body }, 200);

  app.openapi(route('completion-rate', 'Completion rate, overall and per project', `${WINDOW} milestone due dates.`), async (c) => {
    const s = scopeOf(c, c.req.valid('query'));
    return answer(c, s, { ...(await completionRate(milestoneSource(s, await projectIdsOf(s)), milestoneOptions(s))) });
  });

  app.openapi(route('delay-patterns', 'Delays by category and reason', `${WINDOW} milestone due dates.`), async (c) => {
    const s = scopeOf(c, c.req.valid('query'));
    return answer(c, s, { items: await delayPatterns(milestoneSource(s, await projectIdsOf(s)), milestoneOptions(s)) });
  });

  app.openapi(route('owner-performance', 'On-time rate, delay and open work per owner', `${WINDOW} milestone due dates.`), async (c) => {
    const s = scopeOf(c, c.req.valid('query'));
    return answer(c, s, { items: await ownerPerformance(milestoneSource(s, await projectIdsOf(s)), milestoneOptions(s)) });
  });

  app.openapi(route('verification-turnaround', 'Verification request to approval', `${WINDOW} when verification was requested.`), async (c) => {
    const s = scopeOf(c, c.req.valid('query'));
    const projects = await projectIdsOf(s);
    const match = projects ? { projectId: { $in: projects } } : undefined;
    const result = await verificationTurnaround(
      { db: s.db, collection: verificationsCollection as unknown as CollectionDef<BaseDoc> },
      { ...s.window, fields: { submittedAt: 'createdAt', verifiedAt: 'approvedAt' }, ...(match ? { match } : {}) },
    );
    return answer(c, s, { ...result });
  });

  app.openapi(route('escalation-counts', 'Escalations by level and trigger', `${WINDOW} when escalations opened.`), async (c) => {
    const s = scopeOf(c, c.req.valid('query'));
    return answer(c, s, { ...(await escalationCounts({ db: s.db, collection: escalationsCollection }, { ...s.window })) });
  });

  app.openapi(route('days-to-pay', 'Days from sending to payment, per client', `${WINDOW} when invoices were paid.`), async (c) => {
    const s = scopeOf(c, c.req.valid('query'));
    const match = invoiceMatch(s);
    const items = await daysToPay({ db: s.db, collection: billingInvoicesCollection as unknown as CollectionDef<BaseDoc> }, { ...s.window, ...(Object.keys(match).length ? { match } : {}) });
    return answer(c, s, { items });
  });

  app.openapi(route('receivables-ageing', 'Open balances by days past due: current, 0-30, 31-60, 61-90, 90+', 'As of `asOf` (default now); the window is not used.'), async (c) => {
    const s = scopeOf(c, c.req.valid('query'));
    const match = invoiceMatch(s);
    return answer(c, s, { ...(await receivablesAgeing({ db: s.db, collection: billingInvoicesCollection as unknown as CollectionDef<BaseDoc> }, { now: s.now, ...(Object.keys(match).length ? { match } : {}) })) });
  });

  app.openapi(
    route(
      'cash-flow',
      'Expected receipts by week and by month',
      'From milestones not yet invoiced (their amount, or their percent of the project contract value, plus GST, at due date plus payment terms) and open invoice balances, each moved by the client average days late (the client of the milestone project). `weeks` (default 13) and `months` (default 6) set the horizon; the window is not used.',
      CashFlowQuery,
    ),
    async (c) => {
      const query = c.req.valid('query') as Q & { weeks?: number; months?: number };
      const s = scopeOf(c, query);
      const invoices = s.db.collection(billingInvoicesCollection);
      const match = invoiceMatch(s);
      const invoiceSource: AnalyticsSource = Object.keys(match).length
        ? { aggregate: <R>(p: Record<string, unknown>[]) => invoices.aggregate<R>([{ $match: match }, ...p]) }
        : invoices;
      try {
        const projects = s.db.collection(projectsCollection);
        const projectIds = await projectIdsOf(s);
        const projectSource: AnalyticsSource = projectIds
          ? { aggregate: <R>(p: Record<string, unknown>[]) => projects.aggregate<R>([{ $match: { _id: { $in: projectIds } } }, ...p]) }
          : projects;
        const { supplier } = await getBillingProfile(s.db);
        const result = await cashFlowProjection(
          { milestones: milestoneSource(s, projectIds, { windowOnDue: false }), invoices: invoiceSource, projects: projectSource },
          {
            now: s.now,
            timeZone: s.timeZone,
            weeks: query.weeks ?? 13,
            months: query.months ?? 6,
            milestoneDueDayOffset: zoneOffset(s.timeZone, s.now),
            ...(supplier.stateCode ? { supplierStateCode: supplier.stateCode } : {}),
          },
        );
        return answer(c, s, { ...result });
      } catch (err) {
        if (err instanceof RangeError) throw new ApiError('validation_failed', { detail: err.message });
        throw err;
      }
    },
  );
}
