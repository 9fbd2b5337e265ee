import { isSchemeId, type SchemeId } from './scheme-ids.ts';
import type { Verifier } from './types.ts';
import { githubVerifier } from './verify-github.ts';
import { intuitVerifier } from './verify-intuit.ts';
import { jiraVerifier } from './verify-jira.ts';
import { metaVerifier } from './verify-meta.ts';
import { razorpayVerifier } from './verify-razorpay.ts';
import { salesforceOutboundVerifier } from './verify-salesforce-outbound.ts';
import { standardWebhooksVerifier } from './verify-standard-webhooks.ts';
import { stripeVerifier } from './verify-stripe.ts';
import { twilioVerifier } from './verify-twilio.ts';
import { urlTokenVerifier } from './verify-url-token.ts';
import { zohoPaymentsVerifier } from './verify-zoho-payments.ts';

/** Every verifier, keyed by its scheme id. */
export const verifiers: Readonly<Record<SchemeId, Verifier>> = Object.freeze({
  'standard-webhooks': standardWebhooksVerifier,
  github: githubVerifier,
  jira: jiraVerifier,
  meta: metaVerifier,
  intuit: intuitVerifier,
  twilio: twilioVerifier,
  razorpay: razorpayVerifier,
  stripe: stripeVerifier,
  'zoho-payments': zohoPaymentsVerifier,
  'salesforce-outbound': salesforceOutboundVerifier,
  'url-token': urlTokenVerifier,
});

/** The verifier for a stored scheme id, or undefined when the id is unknown. */
export function verifierFor(scheme: string): Verifier | undefined {
  return isSchemeId(scheme) ? verifiers[scheme] : undefined;
}
