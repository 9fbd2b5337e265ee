import { duplicateName } from './customer-rules.ts';
import { requiredMissing } from './quickbooks-error.ts';
import type { RuleContext } from './rule-context.ts';

export function normalizeItem(data: Record<string, unknown>, { company, selfId }: RuleContext): Record<string, unknown> {
  const out = { ...data };
  const name = String(out.Name ?? '').trim();
  if (!name) throw requiredMissing('Name');
  if (company.list('Item').some((i) => i.id !== selfId && String(i.data.Name).toLowerCase() === name.toLowerCase())) {
    throw duplicateName();
  }
  out.Name = name;
  out.FullyQualifiedName = name;
  out.Active ??= true;
  out.Type ??= 'Service';
  out.UnitPrice ??= 0;
  out.Taxable ??= false;
  out.TrackQtyOnHand ??= false;
  out.IncomeAccountRef ??= { value: '1', name: 'Services' };
  return out;
}
