import { randomBytes } from 'node:crypto';

/** A Graph API error answer: HTTP status and the `{ error: {...} }` body. */
export interface GraphFault {
  status: number;
  code: number;
  message: string;
  subcode?: number;
  type?: string;
  details?: string;
}

/** Errors Cloud API answers with, by what causes them. */
export const GRAPH_FAULTS = {
  expiredToken: {
    status: 401,
    code: 190,
    subcode: 463,
    message: 'Error validating access token: Session has expired on Monday, 31-Mar-25 04:00:00 PDT. The current time is Monday, 31-Mar-25 05:12:09 PDT.',
  },
  rateLimited: { status: 429, code: 130429, message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' },
  spamRateLimited: { status: 400, code: 131048, message: '(#131048) Spam rate limit hit', details: 'Message failed to send because there are restrictions on how many messages can be sent from this phone number.' },
  accountRateLimited: { status: 400, code: 80007, message: '(#80007) Rate limit issues', details: 'The WhatsApp Business Account has reached its rate limit.' },
  undeliverable: { status: 400, code: 131026, message: '(#131026) Message Undeliverable', details: 'Message Undeliverable.' },
  temporarilyUnavailable: { status: 503, code: 2, message: 'Service temporarily unavailable' },
  unknownError: { status: 500, code: 131000, message: '(#131000) Something went wrong', details: 'Something went wrong' },
} as const satisfies Record<string, GraphFault>;

/** The body Graph API sends with an error. */
export function graphErrorBody(fault: GraphFault): Record<string, unknown> {
  return {
    error: {
      message: fault.message,
      type: fault.type ?? 'OAuthException',
      code: fault.code,
      ...(fault.details === undefined ? {} : { error_data: { messaging_product: 'whatsapp', details: fault.details } }),
      ...(fault.subcode === undefined ? {} : { error_subcode: fault.subcode }),
      fbtrace_id: `A${randomBytes(11).toString('base64url')}`,
    },
  };
}
