import type { Collection, CollectionDef, TenantStore } from '../store/index.ts';
import { checkInvoiceContext } from './build-invoice.ts';
import type { BuildInvoiceOptions } from './build-invoice.ts';
import { buildInvoicesInContext } from './build-invoices.ts';
import type { BatchInvoiceItem, BuildInvoicesOutput } from './build-invoices.ts';
import { invoicesCollection } from './collections.ts';
import type { InvoiceDoc } from './collections.ts';
import type { SupplierDetails } from './invoice-types.ts';
import { succeed } from './invoicing-result.ts';
import type { InvoicingResult } from './invoicing-result.ts';
import { reserveInvoiceNumbers } from './next-invoice-number.ts';
import type { NumberingScheme } from './numbering-scheme.ts';

// A placeholder that passes the number check while items are validated, before numbers exist.
const PENDING_NUMBER = 'PENDING';
const INSERT_CHUNK = 500;

/** Input of {@link generateInvoices}. Items carry no numbers: they are taken from the series. */
export interface GenerateInvoicesInput {
  supplier: SupplierDetails;
  issueDate: Date;
  timeZone: string;
  options?: BuildInvoiceOptions;
  numbering?: Partial<NumberingScheme>;
  items: ReadonlyArray<Omit<BatchInvoiceItem, 'number'>>;
  /** @default invoicesCollection */
  collection?: CollectionDef<InvoiceDoc>;
}

/**
 * Builds, numbers and stores draft invoices for many milestones. Items are validated first, so
 * refused items take no number; the valid ones take one consecutive block of the tenant's series
 * for the issue date's financial year, in one atomic counter step, and are inserted in chunks.
 */
export async function generateInvoices(
  db: TenantStore,
  input: GenerateInvoicesInput,
): Promise<InvoicingResult<{ invoices: InvoiceDoc[]; failures: BuildInvoicesOutput['failures'] }>> {
  const context = checkInvoiceContext(input);
  if (!context.ok) return context;
  const built = buildInvoicesInContext(
    context.value,
    input.items.map((item) => ({ ...item, number: PENDING_NUMBER })),
  );
  if (built.invoices.length === 0) return succeed({ invoices: [], failures: built.failures });

  const numbers = await reserveInvoiceNumbers(db, {
    ...input.numbering,
    fy: context.value.dates.financialYear,
    count: built.invoices.length,
  });
  if (!numbers.ok) return numbers;
  const collection: Collection<InvoiceDoc> = db.collection(input.collection ?? invoicesCollection);
  const stored: InvoiceDoc[] = [];
  for (let start = 0; start < built.invoices.length; start += INSERT_CHUNK) {
    const chunk = built.invoices.slice(start, start + INSERT_CHUNK).map((invoice, i) => ({
      ...invoice,
      number: numbers.value[start + i]!.number,
    }));
    stored.push(...(await collection.insertMany(chunk)));
  }
  return succeed({ invoices: stored, failures: built.failures });
}
