import type { InvoiceDocument } from './invoice-types.ts';

/** A JSON value: what {@link renderInvoiceJson} produces. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const INTERNAL = new Set(['_id', 'tenantId', 'version', 'createdAt', 'updatedAt', 'outbox']);

/**
 * The canonical JSON document of an invoice: every field of the document in sorted key order,
 * instants as ISO 8601 UTC strings, amounts as integer paise, store bookkeeping left out (the
 * stored `_id` becomes `id`). Equal invoices give byte-equal `JSON.stringify` output.
 */
export function renderInvoiceJson(invoice: InvoiceDocument & { _id?: string }): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = { schema: 'milestone-hub/invoice@1' };
  if (typeof invoice._id === 'string') out.id = invoice._id;
  for (const key of Object.keys(invoice).sort()) {
    if (INTERNAL.has(key)) continue;
    const value = canonical((invoice as unknown as Record<string, unknown>)[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function canonical(value: unknown): JsonValue | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => canonical(v) ?? null);
  const out: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value as object).sort()) {
    const v = canonical((value as Record<string, unknown>)[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
