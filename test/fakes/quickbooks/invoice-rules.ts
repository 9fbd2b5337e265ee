import { companyDate } from './intuit-time.ts';
import { fault, invalidReference, requiredMissing } from './quickbooks-error.ts';
import { roundMoney } from './round-money.ts';
import type { RuleContext } from './rule-context.ts';
import { isRecord, refValue } from './rule-context.ts';

const LINE_TYPES = new Set(['SalesItemLineDetail', 'DescriptionOnly', 'DiscountLineDetail', 'SubTotalLineDetail']);
const DOC_NUMBER_MAX = 21;

function amountOf(line: Record<string, unknown>, index: number): number {
  const amount = line.Amount;
  const n = typeof amount === 'number' ? amount : typeof amount === 'string' && amount.trim() !== '' ? Number(amount) : Number.NaN;
  if (!Number.isFinite(n)) throw requiredMissing(`Line[${index}].Amount`);
  return n;
}

/**
 * Completes an invoice as QBO does on save: names filled into refs, line ids and a subtotal line,
 * TotalAmt from the lines, a DocNumber from the company sequence when none is given, and the
 * 6070 and 6140 checks that catch wrong amounts and reused invoice numbers.
 * Balance and LinkedTxn belong to the ledger, which knows the payments.
 */
export function normalizeInvoice(data: Record<string, unknown>, ctx: RuleContext): Record<string, unknown> {
  const { company, now, selfId, allowDuplicateDocNum } = ctx;
  const out = { ...data };

  const customerId = refValue(out.CustomerRef);
  if (!customerId) throw requiredMissing('CustomerRef');
  const customer = company.find('Customer', customerId);
  if (!customer || customer.deletedAt !== undefined) throw invalidReference('Names', customerId);
  out.CustomerRef = { value: customerId, name: String(customer.data.DisplayName) };

  if (!Array.isArray(out.Line) || out.Line.length === 0) throw requiredMissing('Line');
  let subtotal = 0;
  let discount = 0;
  const lines: Array<Record<string, unknown>> = [];
  (out.Line as unknown[]).forEach((raw, index) => {
    if (!isRecord(raw)) throw requiredMissing(`Line[${index}]`);
    const detailType = raw.DetailType;
    if (typeof detailType !== 'string') throw requiredMissing(`Line[${index}].DetailType`);
    if (!LINE_TYPES.has(detailType)) {
      throw fault(400, {
        message: 'Request has invalid or unsupported property',
        detail: `Property Name:DetailType specified is unsupported or invalid: ${detailType}`,
        code: '2010',
      });
    }
    if (detailType === 'SubTotalLineDetail') return;
    const line: Record<string, unknown> = { ...raw, Id: String(lines.length + 1), LineNum: lines.length + 1 };
    if (detailType === 'DescriptionOnly') {
      line.Amount = raw.Amount === undefined ? 0 : amountOf(raw, index);
      line.DescriptionLineDetail ??= {};
      subtotal += Number(line.Amount);
    } else if (detailType === 'DiscountLineDetail') {
      line.Amount = amountOf(raw, index);
      discount += Number(line.Amount);
    } else {
      const amount = amountOf(raw, index);
      const detail = isRecord(raw.SalesItemLineDetail) ? { ...raw.SalesItemLineDetail } : {};
      const itemId = refValue(detail.ItemRef) ?? '1';
      const item = company.find('Item', itemId);
      if (!item || item.deletedAt !== undefined) throw invalidReference('Item', itemId);
      detail.ItemRef = { value: itemId, name: String(item.data.Name) };
      const qty = detail.Qty === undefined ? undefined : Number(detail.Qty);
      const unitPrice = detail.UnitPrice === undefined ? undefined : Number(detail.UnitPrice);
      if (qty !== undefined && unitPrice !== undefined && Math.abs(roundMoney(qty * unitPrice) - amount) >= 0.005) {
        throw fault(400, {
          message: 'Amount is not equal to UnitPrice * Qty',
          detail: `Amount is not equal to UnitPrice * Qty. Supplied value:${amount}`,
          code: '6070',
        });
      }
      detail.TaxCodeRef ??= { value: 'NON' };
      line.Amount = amount;
      line.SalesItemLineDetail = detail;
      subtotal += amount;
    }
    lines.push(line);
  });
  subtotal = roundMoney(subtotal);
  lines.push({ Amount: subtotal, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
  out.Line = lines;
  out.TotalAmt = roundMoney(subtotal - discount);

  if (out.DocNumber === undefined || out.DocNumber === null || out.DocNumber === '') {
    out.DocNumber = company.nextDocNumber();
  } else {
    const doc = String(out.DocNumber);
    if (doc.length > DOC_NUMBER_MAX) {
      throw fault(400, {
        message: 'String length is either shorter or longer than supported by specification',
        detail: `String length specified does not match the supported length. Min:0 Max:${DOC_NUMBER_MAX} supplied length:${doc.length}`,
        code: '2050',
        element: 'DocNumber',
      });
    }
    const clash = company.list('Invoice').find((inv) => inv.id !== selfId && String(inv.data.DocNumber) === doc);
    if (clash && !allowDuplicateDocNum) {
      throw fault(400, {
        message: 'Duplicate Document Number Error',
        detail: `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${doc} is assigned to TxnType=Invoice with TxnId=${clash.id}`,
        code: '6140',
      });
    }
    out.DocNumber = doc;
  }

  out.TxnDate ??= companyDate(now, company.timeZone);
  out.DueDate ??= out.TxnDate;
  out.CurrencyRef ??= { ...company.currency };
  out.TxnTaxDetail ??= { TotalTax: 0 };
  out.CustomField ??= [];
  out.ApplyTaxAfterDiscount ??= false;
  out.PrintStatus ??= 'NotSet';
  out.EmailStatus ??= 'NotSet';
  out.AllowOnlineCreditCardPayment ??= false;
  out.AllowOnlineACHPayment ??= false;
  return out;
}
