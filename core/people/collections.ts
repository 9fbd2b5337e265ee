import type { PendingAuditEntry } from '../audit-log/index.ts';
import type { DomainEvent, RevisionedDoc } from '../domain/index.ts';
import type { CollectionDef } from '../store/index.ts';

/** The channels the hub can reach a person on. */
export const PERSON_CHANNELS = ['whatsapp', 'email', 'sms'] as const;
export type PersonChannel = (typeof PERSON_CHANNELS)[number];

/** Hours in which a person is not messaged, on the clock of `timeZone`. */
export interface QuietHours {
  /** `HH:MM`, 24-hour. */
  start: string;
  end: string;
  timeZone?: string;
}

/** Someone who owns, approves or hears about milestones. */
export interface PersonDoc extends RevisionedDoc {
  name: string;
  email?: string;
  /** E.164. */
  phone?: string;
  whatsapp?: string;
  /** In order of preference. */
  channels: PersonChannel[];
  managerId?: string;
  team?: string;
  department?: string;
  quietHours?: QuietHours;
  locale?: string;
  /** API keys that act as this person, so approval steps naming the person accept them. */
  apiKeyIds: string[];
  outbox: DomainEvent[];
  /** Audit entries of changes written but not yet linked into the audit chain. */
  auditOutbox?: PendingAuditEntry[];
}

export const peopleCollection: CollectionDef<PersonDoc> = {
  name: 'people',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, team: 1 } }, { fields: { apiKeyIds: 1 } }],
};
