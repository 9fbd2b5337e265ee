import { fault, requiredMissing } from './quickbooks-error.ts';
import type { RuleContext } from './rule-context.ts';

export function duplicateName(): ReturnType<typeof fault> {
  return fault(400, {
    message: 'Duplicate Name Exists Error',
    detail: 'The name supplied already exists. : Another customer, vendor or employee is already using this \nname. Please use a different name.',
    code: '6240',
  });
}

/** Completes a customer: DisplayName falls back to the person's or company's name and must be unique. */
export function normalizeCustomer(data: Record<string, unknown>, { company, selfId }: RuleContext): Record<string, unknown> {
  const out = { ...data };
  const personName = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix']
    .map((k) => out[k])
    .filter((v) => typeof v === 'string' && v.trim() !== '')
    .join(' ');
  const displayName = String(out.DisplayName ?? '').trim() || personName || String(out.CompanyName ?? '').trim();
  if (!displayName) throw requiredMissing('DisplayName');
  if (displayName.length > 500) {
    throw fault(400, {
      message: 'String length is either shorter or longer than supported by specification',
      detail: `String length specified does not match the supported length. Min:0 Max:500 supplied length:${displayName.length}`,
      code: '2050',
      element: 'DisplayName',
    });
  }
  const clash = company
    .list('Customer')
    .find((c) => c.id !== selfId && String(c.data.DisplayName).trim().toLowerCase() === displayName.toLowerCase());
  if (clash) throw duplicateName();
  out.DisplayName = displayName;
  out.FullyQualifiedName = displayName;
  out.PrintOnCheckName ??= displayName;
  out.Active ??= true;
  out.Taxable ??= false;
  out.Job ??= false;
  out.BillWithParent ??= false;
  out.IsProject ??= false;
  out.PreferredDeliveryMethod ??= 'Print';
  out.CurrencyRef ??= { ...company.currency };
  delete out.Balance;
  delete out.BalanceWithJobs;
  return out;
}
