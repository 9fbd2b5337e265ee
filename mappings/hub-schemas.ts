import type { FieldSchema, ObjectSchema } from './object-schema.ts';

// Provisional: these are the DEFAULT hub object schemas, used until the core supplies its own.
// Mapping functions take schemas as arguments, so switching to the core's is a caller change.

const text: FieldSchema = { type: 'string' };
const date: FieldSchema = { type: 'date' };
const paise: FieldSchema = { type: 'integer', description: 'Money in integer paise.' };
const id: FieldSchema = { type: 'string', readOnly: true };
const stamp: FieldSchema = { type: 'date', readOnly: true };
const customFields: FieldSchema = { type: 'object', description: 'Tenant-defined fields; any key below is accepted.' };

const address: FieldSchema = {
  type: 'object',
  properties: { line1: text, line2: text, city: text, state: text, postalCode: text, country: text },
};

const milestone: ObjectSchema = {
  title: 'Milestone',
  properties: {
    id,
    projectId: text,
    title: { type: 'string', required: true },
    description: text,
    status: {
      type: 'string',
      // The states of the core's default workflow; a tenant's own workflow may name others.
      enum: ['planned', 'in_progress', 'on_hold', 'submitted', 'disputed', 'verified', 'invoiced', 'paid', 'cancelled'],
    },
    kind: { type: 'string', enum: ['deliverable', 'phase', 'advance', 'retention', 'other'] },
    dueDate: date,
    plannedStart: date,
    percentComplete: { type: 'number', description: '0 to 100.' },
    priority: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
    risk: { type: 'string', enum: ['low', 'medium', 'high'] },
    tags: { type: 'array', items: text },
    payment: {
      type: 'object',
      properties: {
        amount: paise,
        percent: { type: 'number', description: 'Share of the contract value, 0 to 100.' },
        gstRate: { type: 'number', description: 'GST rate in percent, e.g. 18.' },
        dueInDays: { type: 'integer' },
      },
    },
    owners: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          userId: text,
          name: text,
          email: text,
          phone: text,
          role: { type: 'string', enum: ['accountable', 'responsible', 'verifier', 'approver'] },
        },
      },
    },
    customFields,
    createdAt: stamp,
    updatedAt: stamp,
  },
};

const project: ObjectSchema = {
  title: 'Project',
  properties: {
    id,
    clientId: text,
    name: { type: 'string', required: true },
    code: text,
    description: text,
    status: { type: 'string', enum: ['draft', 'active', 'on_hold', 'completed', 'cancelled'] },
    startDate: date,
    endDate: date,
    currency: text,
    contractValue: paise,
    tags: { type: 'array', items: text },
    customFields,
    createdAt: stamp,
    updatedAt: stamp,
  },
};

const client: ObjectSchema = {
  title: 'Client',
  properties: {
    id,
    name: { type: 'string', required: true },
    legalName: text,
    email: text,
    phone: text,
    website: text,
    gstin: { type: 'string', description: '15-character GST identification number.' },
    pan: text,
    stateCode: { type: 'string', description: 'GST state code, the place of supply.' },
    contactName: text,
    address,
    customFields,
    createdAt: stamp,
    updatedAt: stamp,
  },
};

const invoice: ObjectSchema = {
  title: 'Invoice',
  properties: {
    id,
    number: { type: 'string', required: true },
    clientId: text,
    clientName: text,
    projectId: text,
    milestoneId: text,
    status: { type: 'string', enum: ['draft', 'issued', 'sent', 'partially_paid', 'paid', 'void'] },
    issueDate: date,
    dueDate: date,
    currency: text,
    subtotal: { ...paise, readOnly: true },
    taxes: {
      type: 'object',
      readOnly: true,
      properties: { cgst: paise, sgst: paise, igst: paise },
    },
    total: { ...paise, readOnly: true },
    amountDue: paise,
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          description: text,
          hsnSac: text,
          quantity: { type: 'number' },
          unitPrice: paise,
          amount: paise,
          gstRate: { type: 'number' },
        },
      },
    },
    notes: text,
    customFields,
    createdAt: stamp,
    updatedAt: stamp,
  },
};

const payment: ObjectSchema = {
  title: 'Payment',
  properties: {
    id,
    invoiceId: text,
    invoiceNumber: text,
    clientId: text,
    amount: { ...paise, required: true },
    currency: text,
    method: { type: 'string', enum: ['upi', 'neft', 'rtgs', 'imps', 'card', 'netbanking', 'cheque', 'cash', 'other'] },
    status: { type: 'string', enum: ['pending', 'captured', 'failed', 'refunded'] },
    receivedAt: date,
    reference: { type: 'string', description: 'UTR, cheque number or gateway payment id.' },
    customFields,
    createdAt: stamp,
    updatedAt: stamp,
  },
};

/**
 * The default hub object schemas (milestone, project, client, invoice, payment), provisional
 * until the core supplies its own. Money is integer paise; computed fields are read-only.
 */
export const defaultHubSchemas: Readonly<Record<'milestone' | 'project' | 'client' | 'invoice' | 'payment', ObjectSchema>> = {
  milestone,
  project,
  client,
  invoice,
  payment,
};
