import type { CheckResult, ConnectorContext } from '../sdk/index.ts';
import { callQuickBooks } from './call-quickbooks.ts';
import type { QuickBooksConfig, QuickBooksCredentials } from './quickbooks-settings.ts';

/** Reads the company's info: proves the token, the realm and the app's access to it. */
export async function checkQuickBooks(ctx: ConnectorContext<QuickBooksConfig, QuickBooksCredentials>): Promise<CheckResult> {
  const { realmId } = ctx.config;
  const info = await callQuickBooks<{ CompanyName?: unknown }>(ctx, 'read company info', (client, done) => client.getCompanyInfo(realmId, done));
  const name = typeof info.CompanyName === 'string' ? info.CompanyName : 'the company';
  return { ok: true, message: `connected to ${name} (realm ${realmId})` };
}
