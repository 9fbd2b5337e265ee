import { invalid, issuesFromZod, revisionedUpsert, succeed } from '../domain/index.ts';
import type { DomainResult } from '../domain/index.ts';
import type { BaseDoc, CollectionDef, TenantStore } from '../store/index.ts';
import { DEFAULT_ESCALATION_POLICY, escalationPolicySchema } from './escalation-policy.ts';
import type { EscalationPolicy } from './escalation-policy.ts';

/** The key of the policy that applies to every project without its own. */
export const DEFAULT_POLICY_KEY = 'default';

/**
 * A tenant's escalation policy, as data. `default` covers every project not named by another
 * policy's `projectIds`. `revision` is shown as `version` and checked on writes with If-Match.
 */
export interface EscalationPolicyDoc extends BaseDoc {
  key: string;
  name?: string;
  policy: EscalationPolicy;
  projectIds?: string[];
  revision: number;
}

export const escalationPoliciesCollection: CollectionDef<EscalationPolicyDoc> = {
  name: 'escalation_policies',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, key: 1 }, unique: true }],
};

/** A stored policy or the shipped default, as the sweep and the API see it. */
export interface ResolvedEscalationPolicy {
  key: string;
  name?: string;
  policy: EscalationPolicy;
  projectIds?: string[];
  /** 0 for the shipped default that was never saved. */
  version: number;
  stored: boolean;
}

const shipped = (): ResolvedEscalationPolicy => ({ key: DEFAULT_POLICY_KEY, name: 'Default', policy: DEFAULT_ESCALATION_POLICY, version: 0, stored: false });

const resolved = (doc: EscalationPolicyDoc): ResolvedEscalationPolicy => ({
  key: doc.key,
  ...(doc.name !== undefined ? { name: doc.name } : {}),
  policy: doc.policy,
  ...(doc.projectIds !== undefined ? { projectIds: doc.projectIds } : {}),
  version: doc.revision,
  stored: true,
});

/** Every policy of the tenant, `default` first (the shipped one when the tenant has not saved its own). */
export async function listEscalationPolicies(db: TenantStore): Promise<ResolvedEscalationPolicy[]> {
  const docs = await db.collection(escalationPoliciesCollection).find({}, { sort: { key: 1 } });
  const out = docs.map(resolved);
  if (!out.some((p) => p.key === DEFAULT_POLICY_KEY)) out.unshift(shipped());
  return out.sort((a, b) => (a.key === DEFAULT_POLICY_KEY ? -1 : b.key === DEFAULT_POLICY_KEY ? 1 : a.key.localeCompare(b.key)));
}

/** One policy by key; `default` always exists. */
export async function getEscalationPolicy(db: TenantStore, key: string): Promise<ResolvedEscalationPolicy | null> {
  const doc = await db.collection(escalationPoliciesCollection).findOne({ key });
  if (doc) return resolved(doc);
  return key === DEFAULT_POLICY_KEY ? shipped() : null;
}

/**
 * Creates or replaces a policy after validating it (`escalationPolicySchema`). A project may be
 * named by one policy only. With `expectedVersion` the stored revision must match.
 */
export async function saveEscalationPolicy(
  db: TenantStore,
  key: string,
  input: { name?: string | undefined; policy: unknown; projectIds?: string[] | undefined },
  options: { expectedVersion?: number | undefined } = {},
): Promise<DomainResult<ResolvedEscalationPolicy>> {
  const parsed = escalationPolicySchema.safeParse(input.policy);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error).map((i) => ({ ...i, path: `policy.${i.path}` })));
  if (key === DEFAULT_POLICY_KEY && input.projectIds !== undefined) {
    return invalid([{ path: 'projectIds', message: 'the default policy covers every project without its own; give projectIds to other policies', code: 'default_has_no_projects' }]);
  }
  const col = db.collection(escalationPoliciesCollection);
  if (input.projectIds && input.projectIds.length > 0) {
    const clash = await col.findOne({ key: { $ne: key }, projectIds: { $in: input.projectIds } });
    if (clash) {
      const taken = input.projectIds.filter((p) => clash.projectIds?.includes(p));
      return invalid([{ path: 'projectIds', message: `already covered by policy '${clash.key}': ${taken.join(', ')}`, code: 'project_has_policy' }]);
    }
  }
  const fields = { policy: parsed.data, ...(input.name !== undefined ? { name: input.name } : {}), ...(input.projectIds !== undefined ? { projectIds: input.projectIds } : {}) };
  const saved = await revisionedUpsert({
    collection: col,
    filter: { key },
    expectedVersion: options.expectedVersion,
    create: () => ({ key, ...fields }),
    replace: (current) => {
      // A replace drops the optional fields the new version leaves out.
      const unset: Record<string, true> = {};
      if (input.name === undefined && current.name !== undefined) unset.name = true;
      if (input.projectIds === undefined && current.projectIds !== undefined) unset.projectIds = true;
      return { $set: fields, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) };
    },
    subject: 'This policy',
    createdVerb: 'created',
  });
  return saved.ok ? succeed(resolved(saved.value)) : saved;
}

/** Deletes a stored policy; deleting `default` restores the shipped one. */
export async function deleteEscalationPolicy(db: TenantStore, key: string): Promise<boolean> {
  return db.collection(escalationPoliciesCollection).deleteOne({ key });
}
