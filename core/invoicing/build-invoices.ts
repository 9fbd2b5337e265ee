import { buildInvoiceInContext, checkInvoiceContext } from './build-invoice.ts';
import type { BuildInvoiceInput, BuildInvoiceOptions, InvoiceContext } from './build-invoice.ts';
import type { InvoiceDocument, SupplierDetails } from './invoice-types.ts';
import { succeed } from './invoicing-result.ts';
import type { InvoicingError, InvoicingResult } from './invoicing-result.ts';

/** One milestone of a batch; options here override the batch's. */
export type BatchInvoiceItem = Pick<
  BuildInvoiceInput,
  'client' | 'milestone' | 'contractValue' | 'percentComplete' | 'partialPercent' | 'alreadyInvoiced' | 'number'
> & { options?: BuildInvoiceOptions };

/** Input of {@link buildInvoices}: what the batch shares, then its items. */
export interface BuildInvoicesInput {
  supplier: SupplierDetails;
  issueDate: Date;
  timeZone: string;
  options?: BuildInvoiceOptions;
  items: readonly BatchInvoiceItem[];
}

/** A batch's invoices, in item order, and the items that were refused. */
export interface BuildInvoicesOutput {
  invoices: InvoiceDocument[];
  failures: Array<{ index: number; milestoneId?: string; error: InvoicingError }>;
}

/**
 * Builds invoices for many milestones. The supplier, dates and zone are checked once; each item
 * stands alone, so one bad milestone is reported and the rest are built. Refuses the whole batch
 * only when what the items share is invalid.
 */
export function buildInvoices(input: BuildInvoicesInput): InvoicingResult<BuildInvoicesOutput> {
  const context = checkInvoiceContext(input);
  if (!context.ok) return context;
  return succeed(buildInvoicesInContext(context.value, input.items));
}

/** {@link buildInvoices} with the shared context checked already. */
export function buildInvoicesInContext(context: InvoiceContext, items: readonly BatchInvoiceItem[]): BuildInvoicesOutput {
  const invoices: InvoiceDocument[] = [];
  const failures: BuildInvoicesOutput['failures'] = [];
  items.forEach((item, index) => {
    const built = buildInvoiceInContext(context, item);
    if (built.ok) invoices.push(built.value);
    else {
      const milestoneId = typeof item?.milestone?.id === 'string' ? item.milestone.id : undefined;
      failures.push({ index, ...(milestoneId !== undefined ? { milestoneId } : {}), error: built.error });
    }
  });
  return { invoices, failures };
}
