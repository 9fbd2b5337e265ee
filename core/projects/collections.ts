import type { PendingAuditEntry } from '../audit-log/index.ts';
import type { DomainEvent, RevisionedDoc } from '../domain/index.ts';
import type { CollectionDef } from '../store/index.ts';

/** Someone to reach at the client. */
export interface ClientContact {
  name: string;
  email?: string;
  phone?: string;
  whatsapp?: string;
  role?: string;
}

/** The client a project is delivered to and invoiced. */
export interface ProjectClient {
  name: string;
  /** Upper case, validated by format, check character and state. */
  gstin?: string;
  /** GST state code of the place of supply. */
  stateCode: string;
  address?: string;
  contacts: ClientContact[];
}

/** A project: a contract with one client, its value in paise, and the milestones under it. */
export interface ProjectDoc extends RevisionedDoc {
  name: string;
  code?: string;
  description?: string;
  client: ProjectClient;
  /** Integer paise. */
  contractValue: number;
  currency: 'INR';
  /** IANA zone the project's dates are read in. */
  timeZone: string;
  status: 'active' | 'archived';
  /** `YYYY-MM-DD`. */
  startDate?: string;
  tags: string[];
  customFields?: Record<string, unknown>;
  archivedAt?: Date;
  outbox: DomainEvent[];
  /** Audit entries of changes written but not yet linked into the audit chain. */
  auditOutbox?: PendingAuditEntry[];
}

export const projectsCollection: CollectionDef<ProjectDoc> = {
  name: 'projects',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, status: 1 } }],
};
