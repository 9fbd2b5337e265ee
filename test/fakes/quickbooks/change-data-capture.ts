import type { Company } from './company.ts';
import type { EntityName } from './entity-fields.ts';
import { entityNamed } from './entity-fields.ts';
import { parseIntuitTime } from './intuit-time.ts';
import { fault, requiredMissing } from './quickbooks-error.ts';

const LOOKBACK_MS = 30 * 24 * 3600_000;
const MAX_OBJECTS = 1000;

/**
 * Change Data Capture: the current state of every entity of the listed types changed at or after
 * `changedSince`, deleted ones as `{ status: "Deleted" }` stubs, at most 1,000 objects, no older
 * than 30 days. Entity times are to the second, so a caller that re-polls from the response
 * `time` sees edges twice and must dedupe on Id and SyncToken.
 */
export function changeDataCapture(company: Company, entitiesParam: string | undefined, changedSince: string | undefined, now: number) {
  if (!entitiesParam) throw requiredMissing('entities');
  if (!changedSince) throw requiredMissing('changedSince');
  const names: EntityName[] = [];
  for (const raw of entitiesParam.split(',').map((s) => s.trim()).filter(Boolean)) {
    const name = entityNamed(raw);
    if (!name) {
      throw fault(400, { message: 'Invalid Request', detail: `Change data capture is not supported for entity: ${raw}`, code: '2010' });
    }
    if (!names.includes(name)) names.push(name);
  }
  // An unencoded `+` offset arrives as a space; Intuit cannot read that, and neither can the fake.
  const since = parseIntuitTime(changedSince, company.timeZone);
  if (since === undefined) {
    throw fault(400, {
      message: 'Invalid Request',
      detail: `changedSince is not a valid ISO-8601 date-time: ${changedSince}`,
      code: '2010',
      element: 'changedSince',
    });
  }
  if (now - since > LOOKBACK_MS) {
    throw fault(400, { message: 'Invalid Request', detail: 'changedSince must be within the last 30 days', code: '2010', element: 'changedSince' });
  }
  let budget = MAX_OBJECTS;
  const queryResponse = names.map((name) => {
    const changed = company
      .list(name, { includeDeleted: true })
      .filter((e) => e.updatedAt >= since)
      .sort((a, b) => a.updatedAt - b.updatedAt || Number(a.id) - Number(b.id));
    const kept = changed.slice(0, Math.max(0, budget));
    budget -= kept.length;
    return {
      [name]: kept.map((e) => company.render(e)),
      startPosition: 1,
      maxResults: kept.length,
      ...(kept.length < changed.length ? { totalCount: changed.length } : {}),
    };
  });
  return { CDCResponse: [{ QueryResponse: queryResponse }] };
}
