import { checkContactPoints } from '../contacts/index.ts';
import { isTimeZone, type FieldIssue } from '../domain/index.ts';
import type { TenantStore } from '../store/index.ts';
import { apiKeysCollection } from '../tenancy/index.ts';
import { peopleCollection, type PersonDoc } from './collections.ts';

/** How deep a management chain may go before it is taken for a loop. */
const MAX_CHAIN = 100;

/**
 * Checks a person as it would be stored: contact points (normalised), that every channel has
 * a way to reach them, the manager (exists, no loop), quiet hours, locale and linked API keys.
 */
export async function checkPerson(db: TenantStore, person: Omit<PersonDoc, 'version' | 'createdAt' | 'updatedAt' | 'revision' | 'outbox'>): Promise<{ value: typeof person; issues: FieldIssue[] }> {
  const { value, issues } = checkContactPoints(person, '');
  for (const [i, channel] of value.channels.entries()) {
    const reachable = channel === 'email' ? value.email : channel === 'sms' ? value.phone : (value.whatsapp ?? value.phone);
    if (!reachable) {
      const needs = channel === 'email' ? 'an email' : channel === 'sms' ? 'a phone number' : 'a WhatsApp or phone number';
      issues.push({ path: `channels.${i}`, message: `the ${channel} channel needs ${needs}`, code: 'unreachable_channel' });
    }
  }
  if (new Set(value.channels).size !== value.channels.length) issues.push({ path: 'channels', message: 'a channel is listed twice', code: 'duplicate' });
  if (value.managerId !== undefined) issues.push(...(await checkManager(db, person._id, value.managerId)));
  if (value.quietHours?.timeZone !== undefined && !isTimeZone(value.quietHours.timeZone)) {
    issues.push({ path: 'quietHours.timeZone', message: `'${value.quietHours.timeZone}' is not an IANA time zone`, code: 'invalid_time_zone' });
  }
  if (value.locale !== undefined) {
    try {
      value.locale = Intl.getCanonicalLocales(value.locale)[0] ?? value.locale;
    } catch {
      issues.push({ path: 'locale', message: `'${value.locale}' is not a locale like en-IN or hi-IN`, code: 'invalid_locale' });
    }
  }
  if (value.apiKeyIds.length > 0) {
    const keys = await db.collection(apiKeysCollection).find({ _id: { $in: value.apiKeyIds } }, { projection: { _id: 1 } });
    const known = new Set(keys.map((k) => k._id));
    value.apiKeyIds.forEach((keyId, i) => {
      if (!known.has(keyId)) issues.push({ path: `apiKeyIds.${i}`, message: `no API key '${keyId}'`, code: 'unknown_api_key' });
    });
  }
  return { value, issues };
}

async function checkManager(db: TenantStore, personId: string, managerId: string): Promise<FieldIssue[]> {
  const people = db.collection(peopleCollection);
  const seen = new Set<string>([personId]);
  let current: string | undefined = managerId;
  for (let depth = 0; current !== undefined && depth < MAX_CHAIN; depth += 1) {
    if (seen.has(current)) {
      return [{ path: 'managerId', message: `'${managerId}' reports (directly or not) to this person, which would make a loop`, code: 'manager_cycle' }];
    }
    seen.add(current);
    const manager: PersonDoc | null = await people.findOne({ _id: current, deletedAt: { $exists: false } }, { projection: { _id: 1, managerId: 1 } });
    if (!manager) {
      return depth === 0 ? [{ path: 'managerId', message: `no person '${managerId}'`, code: 'unknown_person' }] : [];
    }
    current = manager.managerId;
  }
  return [];
}
