import type { Context } from 'hono';
import { ApiError } from '../errors/index.ts';

/**
 * The version a write expects, from `If-Match` (`3`, `"3"` or `W/"3"`) or else the body's
 * `version`. A malformed header is a 400; absent both, the write applies to whatever is current.
 */
export function expectedVersion(c: Context, bodyVersion?: number): number | undefined {
  const header = c.req.header('If-Match');
  if (header === undefined || header.trim() === '*') return bodyVersion;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new ApiError('validation_failed', { detail: 'If-Match must be the version number you read, like If-Match: "3"', errors: [{ path: 'header.if-match', message: 'must be a version number' }] });
  const version = Number(match[1]);
  if (bodyVersion !== undefined && bodyVersion !== version) {
    throw new ApiError('validation_failed', { detail: 'If-Match and the body version disagree', errors: [{ path: 'body.version', message: `If-Match says ${version}` }] });
  }
  return version;
}

/** Sets the ETag of a versioned resource, so clients can send it back as If-Match. */
export function setVersionTag(c: Context, version: number): void {
  c.header('ETag', `"${version}"`);
}
