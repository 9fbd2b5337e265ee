import type { DescribeSObjectResult } from 'jsforce';
import type { CheckResult, ConnectorContext } from '../sdk/index.ts';
import { salesforceErrorCode } from './salesforce-answer-error.ts';
import { callSalesforce } from './salesforce-session.ts';
import type { SalesforceConfig, SalesforceCredentials } from './salesforce-settings.ts';

type SalesforceContext = ConnectorContext<SalesforceConfig, SalesforceCredentials>;

/**
 * Reads the org's limits (proving the credentials), then describes the synced objects to prove
 * the configured fields exist: the external-id field must be marked External ID, and the
 * marker and extra fields must be there.
 */
export async function checkSalesforce(ctx: SalesforceContext): Promise<CheckResult> {
  const limits = await callSalesforce(ctx, (conn) => conn.limits());
  const { config } = ctx;
  for (const type of [config.milestoneObject, 'Account']) {
    let described: DescribeSObjectResult;
    try {
      described = await callSalesforce(ctx, (conn) => conn.sobject(type).describe());
    } catch (err) {
      if (salesforceErrorCode(err) === 'NOT_FOUND') return { ok: false, code: 'misconfigured', message: `the org has no object ${type}, or the connection's user cannot see it` };
      throw err;
    }
    const fields = new Map(described.fields.map((f) => [f.name, f]));
    if (config.externalIdField !== undefined && fields.get(config.externalIdField)?.externalId !== true) {
      return { ok: false, code: 'misconfigured', message: `${type}.${config.externalIdField} is missing or not marked External ID` };
    }
    if (config.idempotencyField !== undefined && !fields.get(config.idempotencyField)?.filterable) {
      return { ok: false, code: 'misconfigured', message: `${type}.${config.idempotencyField} is missing or cannot be filtered on` };
    }
    const missing = Object.keys(config.extraFields?.[type] ?? {}).filter((name) => !fields.has(name));
    if (missing.length > 0) return { ok: false, code: 'misconfigured', message: `${type} has no field ${missing.join(', ')}` };
  }
  const api = limits.DailyApiRequests;
  const allowance = api === undefined ? '' : `; ${api.Remaining} of ${api.Max} daily API requests left`;
  const idempotent = config.externalIdField !== undefined || config.idempotencyField !== undefined ? '' : '; set externalIdField so a retried create cannot duplicate a record';
  return { ok: true, message: `connected to org ${config.organizationId}${allowance}${idempotent}` };
}
