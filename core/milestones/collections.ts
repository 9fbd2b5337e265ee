import type { PendingAuditEntry } from '../audit-log/index.ts';
import type { DomainEvent, RevisionedDoc } from '../domain/index.ts';
import type { DependencyType } from '../schedule/index.ts';
import type { CollectionDef } from '../store/index.ts';
import type { StateCategory } from '../workflow/index.ts';

/** The levels of the hierarchy under a project: project → phase → milestone → sub-milestone. */
export const MILESTONE_KINDS = ['phase', 'milestone', 'sub-milestone'] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

export const OWNER_KINDS = ['individual', 'team', 'department'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];
export const OWNER_ROLES = ['primary', 'backup'] as const;
export type OwnerRole = (typeof OWNER_ROLES)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export const RISKS = ['low', 'medium', 'high'] as const;

/** Who answers for a milestone: a person (`ref` = person id), a team or a department (`ref` = its name). */
export interface Owner {
  kind: OwnerKind;
  ref: string;
  role: OwnerRole;
}

/** The milestone waits on `on`; see core/schedule for what each type means. */
export interface MilestoneDependency {
  on: string;
  type: DependencyType;
  /** JSONata over the predecessor, for `conditional`. */
  condition?: string;
  lagDays?: number;
}

/** Payment terms: a fixed amount in paise or a percentage of the contract value, never both. */
export interface MilestonePayment {
  amount?: number;
  percent?: number;
  /** GST rate in percent (18 for 18%). */
  gstRate?: number;
  /** Days from invoice to payment due. */
  dueInDays?: number;
  hsnSac?: string;
}

/** The latest delay reported on a milestone (by a status probe's reply, say). */
export interface MilestoneDelay {
  category: string;
  /** The reporter's words. */
  text: string;
  /** `YYYY-MM-DD`: proposed only; the due date stays for a person to change. */
  newDueDate?: string;
  blocked?: boolean;
  reportedAt: Date;
  probeId?: string;
  /** The person who reported it. */
  reportedBy?: string;
}

/** A phase, milestone or sub-milestone of a project. */
export interface MilestoneDoc extends RevisionedDoc {
  projectId: string;
  parentId?: string;
  kind: MilestoneKind;
  title: string;
  description?: string;
  type?: string;
  category?: string;
  tags: string[];
  priority?: (typeof PRIORITIES)[number];
  risk?: (typeof RISKS)[number];
  complexity?: string;
  region?: string;
  /** `YYYY-MM-DD`, on the tenant's calendar. */
  plannedStart?: string;
  dueDate?: string;
  gracePeriodDays?: number;
  /** Due date plus grace: the milestone is overdue once the tenant's today is after it. */
  overdueAfter?: string;
  percentComplete: number;
  payment?: MilestonePayment;
  owners: Owner[];
  /** Owner references for lookups: person ids, `team:<name>`, `department:<name>`. */
  ownerRefs: string[];
  dependencies: MilestoneDependency[];
  /** How its delivery is verified when no method is named in the request. @default 'manual' */
  verificationMethod?: 'manual' | 'automated' | 'hybrid';
  /** Roles that may see it; absent means every role. */
  visibility?: string[];
  customFields?: Record<string, unknown>;
  status: string;
  /** The category of `status` in the milestone's workflow version. */
  statusCategory: StateCategory;
  statusChangedAt: Date;
  startedAt?: Date;
  completedAt?: Date;
  /** The workflow version the milestone runs on; it keeps it until migrated. */
  workflow: { id: string; version: number };
  /**
   * Verifications requested before this instant no longer count: set when the milestone leaves
   * a state that awaits verification other than by being verified (a rejected submission).
   */
  verificationResetAt?: Date;
  /** The latest verification's state, for lists; the verifications collection is the record. */
  verification?: { id: string; status: string; at: Date };
  /** Where it came from when created from a template. */
  source?: { templateId: string; key: string };
  delay?: MilestoneDelay;
  outbox: DomainEvent[];
  /** Audit entries of changes written but not yet linked into the audit chain. */
  auditOutbox?: PendingAuditEntry[];
}

export const milestonesCollection: CollectionDef<MilestoneDoc> = {
  name: 'milestones',
  scope: 'tenant',
  // No single tenantId index: the embedded store picks the last single-field equality index of a
  // filter, and the store appends tenantId last, which would shadow the selective ones.
  indexes: [
    { fields: { projectId: 1 } },
    { fields: { parentId: 1 } },
    { fields: { ownerRefs: 1 } },
    { fields: { tags: 1 } },
    { fields: { tenantId: 1, status: 1 } },
    { fields: { dueDate: 1 } },
    // The outbox relay finds documents with pending events through this index, not by a scan.
    { fields: { 'outbox.id': 1 } },
  ],
};
