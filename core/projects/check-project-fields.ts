import { checkContactPoints } from '../contacts/index.ts';
import { validateCustomValues } from '../custom-fields/index.ts';
import { getCustomFieldDefinitions } from '../definitions/index.ts';
import { isTimeZone, toCalendarDate, type FieldIssue } from '../domain/index.ts';
import { isGstStateCode, validateGstin } from '../gst/index.ts';
import type { TenantStore } from '../store/index.ts';
import type { ProjectClient } from './collections.ts';
import type { ProjectInput } from './project-schema.ts';

/**
 * Checks what the schema cannot: the client's state code against the GST list, its GSTIN by
 * format, check character and state, contacts, the time zone, the start date and custom fields.
 * Returns the normalised fields given (upper-case GSTIN, E.164 phones) and every issue found.
 */
export async function checkProjectFields(
  db: TenantStore,
  input: Partial<ProjectInput>,
  options: { timeZone: string; existingCustomFields?: Record<string, unknown> | undefined; creating: boolean },
): Promise<{ value: Partial<ProjectInput> & { client?: ProjectClient }; issues: FieldIssue[] }> {
  const issues: FieldIssue[] = [];
  const value: Partial<ProjectInput> & { client?: ProjectClient } = { ...input } as Partial<ProjectInput> & { client?: ProjectClient };
  if (input.client) {
    const { contacts = [], ...client } = input.client;
    const stateCode = client.stateCode.trim();
    if (!isGstStateCode(stateCode)) {
      issues.push({ path: 'client.stateCode', message: `'${stateCode}' is not a GST state code (01–38, 97, 99)`, code: 'unknown_state_code' });
    }
    let gstin: string | undefined;
    if (client.gstin !== undefined && client.gstin.trim() !== '') {
      const checked = validateGstin(client.gstin, isGstStateCode(stateCode) ? { stateCode } : {});
      if (checked.ok) gstin = checked.value.gstin;
      else issues.push({ path: 'client.gstin', message: checked.error.message, code: checked.error.code });
    }
    const checkedContacts = contacts.map((contact, i) => {
      const checked = checkContactPoints(contact, `client.contacts.${i}`);
      issues.push(...checked.issues);
      return checked.value;
    });
    value.client = {
      name: client.name,
      stateCode,
      ...(gstin === undefined ? {} : { gstin }),
      ...(client.address === undefined ? {} : { address: client.address }),
      contacts: checkedContacts,
    };
  }
  if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) {
    issues.push({ path: 'timeZone', message: `'${input.timeZone}' is not an IANA time zone like Asia/Kolkata`, code: 'invalid_time_zone' });
  }
  if (input.startDate !== undefined) {
    const date = toCalendarDate(input.startDate, options.timeZone);
    if (date) value.startDate = date;
    else issues.push({ path: 'startDate', message: 'must be a date written YYYY-MM-DD', code: 'invalid_date' });
  }
  if (input.customFields !== undefined || options.creating) {
    const merged = mergeCustom(options.existingCustomFields, input.customFields);
    const definitions = await getCustomFieldDefinitions(db, 'project');
    const checked = validateCustomValues(merged, definitions, { appliesTo: 'project', partial: !options.creating && input.customFields === undefined });
    if (checked.ok) {
      const kept = Object.fromEntries(Object.entries(checked.value).filter(([, v]) => v !== null));
      if (Object.keys(kept).length > 0 || input.customFields !== undefined) value.customFields = kept;
    } else {
      issues.push(...checked.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })));
    }
  }
  return { value, issues };
}

/** Patch semantics for custom fields: given keys replace, `null` clears, others stay. */
export function mergeCustom(existing: Record<string, unknown> | undefined, patch: Record<string, unknown> | undefined): Record<string, unknown> {
  return { ...(existing ?? {}), ...(patch ?? {}) };
}
