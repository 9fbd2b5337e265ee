/** One problem with an input, addressed by its path so an API can list it as a field error. */
export interface InvoiceIssue {
  path: string;
  code: InvoiceIssueCode;
  message: string;
}

/** Stable codes for refused input and refused transitions. */
export type InvoiceIssueCode =
  | 'supplier_incomplete'
  | 'client_incomplete'
  | 'invalid_gstin'
  | 'gstin_state_mismatch'
  | 'state_code_missing'
  | 'invalid_state_code'
  | 'invalid_amount'
  | 'invalid_percent'
  | 'contract_value_required'
  | 'payment_terms_missing'
  | 'payment_terms_ambiguous'
  | 'invalid_gst_rate'
  | 'invalid_hsn_sac'
  | 'invalid_due_days'
  | 'nothing_to_invoice'
  | 'exceeds_milestone_amount'
  | 'invalid_number'
  | 'number_too_long'
  | 'invalid_numbering_scheme'
  | 'invalid_financial_year'
  | 'invalid_date'
  | 'invalid_time_zone'
  | 'invalid_lines'
  | 'out_of_range'
  | 'reason_required'
  | 'invalid_transition'
  | 'approval_required'
  | 'invoice_locked'
  | 'invoice_not_sent'
  | 'invoice_closed'
  | 'duplicate_payment'
  | 'invalid_method'
  | 'credit_exceeds_invoice'
  | 'credit_note_mismatch'
  | 'duplicate_credit_note'
  | 'credit_note_too_late'
  | 'dispute_open'
  | 'no_open_dispute';

/** Why an invoicing operation refused: the first issue's code and message, and every issue. */
export interface InvoicingError {
  code: InvoiceIssueCode;
  message: string;
  issues: InvoiceIssue[];
}

/** The outcome of an invoicing operation whose failure is expected (bad data, a refused step). */
export type InvoicingResult<T> = { ok: true; value: T } | { ok: false; error: InvoicingError };

export function succeed<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function refuse(issues: InvoiceIssue[]): { ok: false; error: InvoicingError } {
  const first = issues[0] ?? { path: '', code: 'invalid_lines' as const, message: 'refused' };
  const message = issues.length === 1 ? first.message : `${first.message} (and ${issues.length - 1} more)`;
  return { ok: false, error: { code: first.code, message, issues } };
}

export function refuseOne(code: InvoiceIssueCode, message: string, path = ''): { ok: false; error: InvoicingError } {
  return refuse([{ path, code, message }]);
}
