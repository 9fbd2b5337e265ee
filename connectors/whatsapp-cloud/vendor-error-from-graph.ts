import {
  AuthExpiredError,
  parseRetryAfter,
  RateLimitedError,
  TransientVendorError,
  UnrecoverableVendorError,
  vendorErrorFromResponse,
  type VendorError,
} from '../sdk/index.ts';

/** The `error` object of a Graph API answer. */
export interface GraphError {
  message: string;
  type?: string;
  code: number;
  error_subcode?: number;
  error_data?: { details?: string };
  fbtrace_id?: string;
}

// Codes from Meta's Cloud API error reference, grouped by what the queue should do.
const RATE_LIMITED = new Set([4, 17, 32, 613, 80007, 130429, 131048, 131056]);
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);
const AUTH = new Set([190]);
const PERMISSION = new Set([3, 10, 200, 294]);

function readGraphError(text: string): GraphError | undefined {
  try {
    const body = JSON.parse(text) as { error?: Partial<GraphError> };
    const error = body.error;
    if (error && typeof error.code === 'number' && typeof error.message === 'string') return error as GraphError;
  } catch {
    // Not JSON: fall back to the HTTP status.
  }
  return undefined;
}

/**
 * The named error for a failed Graph API answer, decided by Meta's error code, which is more
 * precise than the HTTP status: 190 → AuthExpiredError; throughput and spam limits (130429,
 * 131048, 131056, 80007, 4, …) → RateLimitedError; 131026 (undeliverable) and other request
 * faults → UnrecoverableVendorError; 131000 and service-unavailable codes → TransientVendorError.
 * Permission codes (10, 200) keep status 403 so a check reports them as an authorisation problem.
 */
export async function vendorErrorFromGraph(res: Response, what: string, now = new Date()): Promise<VendorError | undefined> {
  if (res.ok) return undefined;
  const text = await res.clone().text().catch(() => '');
  const error = readGraphError(text);
  if (error === undefined) return vendorErrorFromResponse(res, { now, what });
  const details = error.error_data?.details;
  const described = `${what}: ${error.message}${details && !error.message.includes(details) ? ` (${details})` : ''} [code ${error.code}${error.error_subcode ? `/${error.error_subcode}` : ''}${error.fbtrace_id ? `, fbtrace ${error.fbtrace_id}` : ''}]`;
  if (AUTH.has(error.code) || res.status === 401) return new AuthExpiredError(described, { status: res.status });
  if (RATE_LIMITED.has(error.code) || res.status === 429) return new RateLimitedError(parseRetryAfter(res.headers.get('retry-after'), now), { status: res.status, message: described });
  if (TRANSIENT.has(error.code) || res.status >= 500) return new TransientVendorError(described, { status: res.status });
  return new UnrecoverableVendorError(PERMISSION.has(error.code) ? 403 : res.status, text.slice(0, 2000), { message: described });
}
