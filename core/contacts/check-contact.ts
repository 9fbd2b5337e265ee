import type { FieldIssue } from '../domain/index.ts';
import { isEmail } from './is-email.ts';
import { normalisePhone } from './normalise-phone.ts';

/** Ways to reach someone; every field is optional. */
export interface ContactPoints {
  email?: string | undefined;
  phone?: string | undefined;
  whatsapp?: string | undefined;
}

/**
 * Checks and normalises contact points (trimmed, lower-case email, phones in E.164) and reports
 * each bad one at `path.field`.
 *
 * @example checkContactPoints({ phone: '98765 43210' }, 'client.contacts.0') // { value: { phone: '+919876543210' }, issues: [] }
 */
export function checkContactPoints<T extends ContactPoints>(input: T, path: string): { value: T; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const value: T = { ...input };
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (input.email !== undefined) {
    const email = input.email.trim().toLowerCase();
    if (isEmail(email)) value.email = email;
    else issues.push({ path: at('email'), message: 'must be an email address like name@example.in', code: 'invalid_email' });
  }
  for (const field of ['phone', 'whatsapp'] as const) {
    const raw = input[field];
    if (raw === undefined) continue;
    const phone = normalisePhone(raw);
    if (phone) value[field] = phone;
    else issues.push({ path: at(field), message: 'must be a phone number like +91 98765 43210', code: 'invalid_phone' });
  }
  return { value, issues };
}
