import { invalid, issuesFromZod, revisionedUpsert, succeed } from '../domain/index.ts';
import type { DomainResult } from '../domain/index.ts';
import { parseDuration } from '../notifications/index.ts';
import type { BaseDoc, CollectionDef, TenantStore } from '../store/index.ts';
import { DEFAULT_PROBE_POLICY, probePolicySchema } from './probe-policy.ts';
import type { ProbePolicy } from './probe-policy.ts';

/** A tenant's probe schedule, one per tenant. `revision` is shown as `version` and checked with If-Match. */
export interface ProbePolicyDoc extends BaseDoc {
  policy: ProbePolicy;
  revision: number;
}

export const probePoliciesCollection: CollectionDef<ProbePolicyDoc> = {
  name: 'probe_policies',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1 }, unique: true }],
};

/** The tenant's probe policy, or the shipped default (version 0) until one is saved. */
export interface ResolvedProbePolicy {
  policy: ProbePolicy;
  version: number;
  stored: boolean;
}

const SHIPPED: ResolvedProbePolicy = { policy: DEFAULT_PROBE_POLICY, version: 0, stored: false };

/** Owners are asked at most hourly, whatever a policy says. */
const MIN_INTERVAL_MS = 60 * 60 * 1000;

/** Every interval of a policy that sets how often owners are asked, with its path. */
function intervals(policy: ProbePolicy): Array<[string, string]> {
  return [
    ...Object.entries(policy.every).map(([k, v]): [string, string] => [`every.${k}`, v]),
    ...policy.nearDue.map((rule, i): [string, string] => [`nearDue.${i}.atMost`, rule.atMost]),
    ['overdue', policy.overdue],
    ...Object.entries(policy.risk).flatMap(([k, v]): Array<[string, string]> => (v === undefined ? [] : [[`risk.${k}`, v]])),
  ];
}

/** The policy the probe sweep and the schedule view use for this tenant. */
export async function getProbePolicy(db: TenantStore): Promise<ResolvedProbePolicy> {
  const doc = await db.collection(probePoliciesCollection).findOne({});
  return doc ? { policy: doc.policy, version: doc.revision, stored: true } : SHIPPED;
}

/**
 * Replaces the tenant's probe policy after validating it whole (`probePolicySchema`; omitted
 * parts take the shipped defaults). With `expectedVersion` the stored revision must match.
 */
export async function saveProbePolicy(db: TenantStore, input: unknown, options: { expectedVersion?: number | undefined } = {}): Promise<DomainResult<ResolvedProbePolicy>> {
  const parsed = probePolicySchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error).map((i) => ({ ...i, path: `policy${i.path === '' ? '' : `.${i.path}`}` })));
  const tooOften = intervals(parsed.data).filter(([, text]) => (parseDuration(text) ?? 0) < MIN_INTERVAL_MS);
  if (tooOften.length > 0) return invalid(tooOften.map(([path]) => ({ path: `policy.${path}`, message: 'probe intervals are at least an hour (PT1H)', code: 'too_often' })));
  const policy = parsed.data;
  const saved = await revisionedUpsert({
    collection: db.collection(probePoliciesCollection),
    filter: {},
    expectedVersion: options.expectedVersion,
    create: () => ({ policy }),
    replace: () => ({ $set: { policy } }),
    subject: 'The probe policy',
    createdVerb: 'saved',
  });
  return saved.ok ? succeed({ policy: saved.value.policy, version: saved.value.revision, stored: true }) : saved;
}

/** Drops the tenant's policy: the shipped default applies again. */
export async function deleteProbePolicy(db: TenantStore): Promise<void> {
  await db.collection(probePoliciesCollection).deleteMany({});
}
