import type { Context } from 'hono';
import { getBillingProfile, type BillingProfile } from '../../core/billing/index.ts';
import type { AppEnv } from '../app-env.ts';

/** The calling tenant's invoicing profile (supplier and settings). */
export function billingProfile(c: Context<AppEnv>): Promise<BillingProfile> {
  return getBillingProfile(c.get('db'));
}
