import { csvRecord } from '../csv/index.ts';
import { OWNER_KINDS, OWNER_ROLES } from './collections.ts';
import type { MilestoneView } from './milestone-view.ts';

/** The CSV columns of a milestone export and import, in order. */
export const CSV_COLUMNS = [
  'id',
  'parentId',
  'kind',
  'title',
  'description',
  'type',
  'category',
  'tags',
  'priority',
  'risk',
  'complexity',
  'region',
  'plannedStart',
  'dueDate',
  'gracePeriodDays',
  'percentComplete',
  'paymentAmount',
  'paymentPercent',
  'gstRate',
  'paymentDueInDays',
  'hsnSac',
  'owners',
  'dependencies',
  'verificationMethod',
  'visibility',
  'status',
  'customFields',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

const TEXT_COLUMNS = new Set<CsvColumn>(['title', 'description', 'type', 'category', 'complexity', 'region']);
// Spreadsheets run cells that start like a formula; a leading apostrophe keeps them text.
const FORMULA = /^[=+\-@\t\r]/;

/** A milestone as one CSV record. */
export function milestoneCsvRecord(m: MilestoneView): string {
  const cell: Record<CsvColumn, string> = {
    id: m.id,
    parentId: m.parentId ?? '',
    kind: m.kind,
    title: m.title,
    description: m.description ?? '',
    type: m.type ?? '',
    category: m.category ?? '',
    tags: m.tags.join(';'),
    priority: m.priority ?? '',
    risk: m.risk ?? '',
    complexity: m.complexity ?? '',
    region: m.region ?? '',
    plannedStart: m.plannedStart ?? '',
    dueDate: m.dueDate ?? '',
    gracePeriodDays: m.gracePeriodDays === undefined ? '' : String(m.gracePeriodDays),
    percentComplete: String(m.percentComplete),
    paymentAmount: m.payment?.amount === undefined ? '' : String(m.payment.amount),
    paymentPercent: m.payment?.percent === undefined ? '' : String(m.payment.percent),
    gstRate: m.payment?.gstRate === undefined ? '' : String(m.payment.gstRate),
    paymentDueInDays: m.payment?.dueInDays === undefined ? '' : String(m.payment.dueInDays),
    hsnSac: m.payment?.hsnSac ?? '',
    owners: m.owners.map((o) => `${o.kind}:${o.ref}:${o.role}`).join(';'),
    dependencies: m.dependencies.length === 0 ? '' : JSON.stringify(m.dependencies),
    verificationMethod: m.verificationMethod ?? '',
    visibility: (m.visibility ?? []).join(';'),
    status: m.status,
    customFields: m.customFields && Object.keys(m.customFields).length > 0 ? JSON.stringify(m.customFields) : '',
  };
  return csvRecord(CSV_COLUMNS.map((c) => (TEXT_COLUMNS.has(c) && FORMULA.test(cell[c]) ? `'${cell[c]}` : cell[c])));
}

/** The CSV header record. */
export function milestoneCsvHeader(): string {
  return csvRecord(CSV_COLUMNS);
}

/** A cell problem: which column and why. */
export interface CellIssue {
  column: string;
  message: string;
  code: string;
}

/**
 * One CSV record as a milestone import item (the shape of a JSON export item), or the cells
 * that cannot be read. Empty cells are absent fields.
 */
export function milestoneFromCsv(header: readonly string[], fields: readonly string[]): { item: Record<string, unknown>; issues: CellIssue[] } {
  const issues: CellIssue[] = [];
  const item: Record<string, unknown> = {};
  const payment: Record<string, unknown> = {};
  if (fields.length !== header.length) {
    issues.push({ column: '(record)', message: `has ${fields.length} fields but the header has ${header.length}`, code: 'field_count' });
    return { item, issues };
  }
  header.forEach((name, i) => {
    const column = name as CsvColumn;
    let raw = fields[i]!;
    if (TEXT_COLUMNS.has(column) && raw.startsWith("'") && FORMULA.test(raw.slice(1))) raw = raw.slice(1);
    if (raw.trim() === '') return;
    const value = raw.trim();
    const number = (target: Record<string, unknown>, key: string) => {
      const n = Number(value);
      if (!Number.isFinite(n)) issues.push({ column, message: `'${value}' is not a number`, code: 'invalid_number' });
      else target[key] = n;
    };
    const json = (key: string, expect: 'array' | 'object') => {
      try {
        const parsed: unknown = JSON.parse(value);
        if (expect === 'array' ? Array.isArray(parsed) : parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) item[key] = parsed;
        else issues.push({ column, message: `must be a JSON ${expect}`, code: 'invalid_json' });
      } catch {
        issues.push({ column, message: `must be a JSON ${expect}`, code: 'invalid_json' });
      }
    };
    switch (column) {
      case 'tags':
      case 'visibility':
        item[column] = value.split(';').map((t) => t.trim()).filter(Boolean);
        return;
      case 'gracePeriodDays':
      case 'percentComplete':
        number(item, column);
        return;
      case 'paymentAmount':
        number(payment, 'amount');
        return;
      case 'paymentPercent':
        number(payment, 'percent');
        return;
      case 'gstRate':
        number(payment, 'gstRate');
        return;
      case 'paymentDueInDays':
        number(payment, 'dueInDays');
        return;
      case 'hsnSac':
        payment.hsnSac = value;
        return;
      case 'owners':
        item.owners = value.split(';').map((o) => o.trim()).filter(Boolean).map((o) => parseOwner(o, issues));
        return;
      case 'dependencies':
        if (value.startsWith('[')) json('dependencies', 'array');
        else item.dependencies = value.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
          const [on, type] = d.split(':');
          return { on, ...(type ? { type } : {}) };
        });
        return;
      case 'customFields':
        json('customFields', 'object');
        return;
      default:
        item[column] = column === 'description' ? raw : value;
    }
  });
  if (Object.keys(payment).length > 0) item.payment = payment;
  return { item, issues };
}

function parseOwner(text: string, issues: CellIssue[]): Record<string, string> {
  const parts = text.split(':');
  const kind = parts[0] ?? '';
  const role = parts.length > 2 && (OWNER_ROLES as readonly string[]).includes(parts[parts.length - 1]!) ? parts.pop()! : 'primary';
  const ref = parts.slice(1).join(':');
  if (!(OWNER_KINDS as readonly string[]).includes(kind) || ref === '') {
    issues.push({ column: 'owners', message: `'${text}' is not kind:ref:role (individual:per_…:primary, team:site-crew:backup)`, code: 'invalid_owner' });
  }
  return { kind, ref, role };
}

/** The CSV column a field path of an import item belongs to (`payment.percent` → `paymentPercent`). */
export function columnOf(path: string): string {
  const [head, sub] = path.split('.');
  if (head === 'payment') {
    return { amount: 'paymentAmount', percent: 'paymentPercent', gstRate: 'gstRate', dueInDays: 'paymentDueInDays', hsnSac: 'hsnSac' }[sub ?? ''] ?? 'paymentAmount';
  }
  return head ?? path;
}
