import { dateInZone, type DomainContext, type DomainResult } from '../../core/domain/index.ts';
import { invoicesCollection, type InvoiceDoc } from '../../core/invoicing/index.ts';
import {
  createMilestone,
  milestoneInputSchema,
  milestonesCollection,
  milestoneView,
  transitionMilestone,
  updateMilestone,
  updateProject,
} from '../../core/milestones/index.ts';
import { getProject, projectsCollection, projectView } from '../../core/projects/index.ts';
import type { Filter, TenantStore } from '../../core/store/index.ts';

/** A hub record as mappings read it: plain JSON, dates as ISO text. */
export interface HubRecord {
  record: Record<string, unknown>;
  /** Soft-deleted in the hub: what its links do follows the mapping's delete policy. */
  deleted: boolean;
}

/**
 * How sync reads and writes one kind of hub record. Writes go through the same domain services
 * the API calls, so workflows, rules and audit apply.
 */
export interface HubObjectAdapter {
  readonly name: string;
  read(db: TenantStore, id: string, at: { now: Date; timeZone: string }): Promise<HubRecord | null>;
  /** The one live record whose `path` holds `value` (a mapping's `match`), or null. */
  findBy?(db: TenantStore, path: string, value: unknown): Promise<string | null>;
  /** Changes fields (never the status). */
  update?(ctx: DomainContext, id: string, patch: Record<string, unknown>): Promise<DomainResult<unknown>>;
  /** Moves the status through the workflow. */
  transition?(ctx: DomainContext, id: string, to: string): Promise<DomainResult<unknown>>;
  create?(ctx: DomainContext, input: Record<string, unknown>): Promise<DomainResult<{ _id: string }>>;
  /** Hub paths an inbound record must carry before a hub record is created from it. */
  readonly createRequires?: readonly string[];
}

const plain = <T>(value: T): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

async function findOne(db: TenantStore, def: Parameters<TenantStore['collection']>[0], path: string, value: unknown, live: Filter): Promise<string | null> {
  if (value === undefined || value === null || value === '') return null;
  const field = path === 'id' ? '_id' : path;
  const found = await db.collection(def).find({ [field]: value, ...live }, { limit: 2, projection: { _id: 1 } });
  return found.length === 1 ? found[0]!._id : null;
}

const milestoneFields = new Set(Object.keys(milestoneInputSchema.shape));

const milestone: HubObjectAdapter = {
  name: 'milestone',
  async read(db, id, { now, timeZone }) {
    const doc = await db.collection(milestonesCollection).findById(id);
    if (doc === null) return null;
    // The contract value only prices a payment term; without one the project is not read.
    const contractValue = doc.payment === undefined ? undefined : (await getProject(db, doc.projectId))?.contractValue;
    return { record: plain(milestoneView(doc, { today: dateInZone(now, timeZone), contractValue })), deleted: doc.deletedAt !== undefined };
  },
  findBy: (db, path, value) => findOne(db, milestonesCollection, path, value, { deletedAt: { $exists: false } }),
  update(ctx, id, patch) {
    // The view's computed payment value is not an input.
    const payment = patch.payment;
    if (payment !== null && typeof payment === 'object' && 'value' in payment) {
      const { value: _value, ...terms } = payment as Record<string, unknown>;
      return updateMilestone(ctx, id, { ...patch, payment: terms });
    }
    return updateMilestone(ctx, id, patch);
  },
  transition: (ctx, id, to) => transitionMilestone(ctx, id, { to }),
  async create(ctx, input) {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) if (milestoneFields.has(key) && key !== 'status' && value !== null) fields[key] = value;
    return createMilestone(ctx, fields);
  },
  createRequires: ['projectId', 'title'],
};

const project: HubObjectAdapter = {
  name: 'project',
  async read(db, id) {
    const doc = await db.collection(projectsCollection).findById(id);
    if (doc === null) return null;
    return { record: plain(projectView(doc)), deleted: false };
  },
  findBy: (db, path, value) => findOne(db, projectsCollection, path, value, {}),
  update: (ctx, id, patch) => updateProject(ctx, id, patch),
};

/** An invoice in the fields of the hub's invoice object schema. */
export function invoiceRecord(doc: InvoiceDoc): Record<string, unknown> {
  return plain({
    id: doc._id,
    number: doc.number,
    clientName: doc.clientName,
    ...(doc.projectId === undefined ? {} : { projectId: doc.projectId }),
    milestoneId: doc.milestoneId,
    status: doc.status,
    issueDate: doc.issuedOn,
    dueDate: doc.dueOn,
    currency: doc.currency,
    subtotal: doc.subtotal,
    taxes: { cgst: doc.taxes.cgst, sgst: doc.taxes.sgst, igst: doc.taxes.igst },
    total: doc.total,
    amountDue: doc.balance,
    lines: doc.lines.map((line) => ({
      description: line.description,
      ...(line.hsnSac === undefined ? {} : { hsnSac: line.hsnSac }),
      quantity: 1,
      unitPrice: line.taxableValue,
      amount: line.taxableValue,
      gstRate: line.gstRate,
    })),
    ...(doc.notes === undefined ? {} : { notes: doc.notes }),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  });
}

const invoice: HubObjectAdapter = {
  name: 'invoice',
  async read(db, id) {
    const doc = await db.collection(invoicesCollection).findById(id);
    if (doc === null) return null;
    return { record: invoiceRecord(doc), deleted: doc.status === 'cancelled' };
  },
  findBy: (db, path, value) => findOne(db, invoicesCollection, path === 'id' ? '_id' : path, value, {}),
};

/**
 * The hub objects sync reads and writes. Payments have no adapter: an inbound payment is recorded
 * against the invoice it pays (`apply-remote-record.ts`), never stored on its own.
 */
export const HUB_OBJECTS: Readonly<Record<string, HubObjectAdapter>> = { milestone, project, invoice };
