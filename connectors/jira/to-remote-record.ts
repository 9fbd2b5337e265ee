import { UnrecoverableVendorError, type RemoteRecord } from '../sdk/index.ts';
import { adfToText, isAdfDoc } from './adf-text.ts';
import { isHubLabel } from './idempotency-label.ts';
import { jiraInstant } from './jira-time.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const plain = (value: unknown): unknown => (isAdfDoc(value) ? adfToText(value) : value);

/** A comment with its body as plain text. */
function plainComment(comment: Json): Json {
  return { ...comment, body: plain(comment.body) };
}

/**
 * The issue as mappings read it: as jira-client returns it, except that rich text (v3 ADF) is
 * plain text, as v2 and webhooks give it, and the connector's own `hub-…` labels are left out, so
 * they never flow into the hub's tags.
 */
export function normalizeIssue(issue: Json): Json {
  if (!isObject(issue.fields)) return { ...issue };
  const fields: Json = { ...issue.fields };
  if ('description' in fields) fields.description = plain(fields.description);
  if ('environment' in fields) fields.environment = plain(fields.environment);
  if (Array.isArray(fields.labels)) fields.labels = fields.labels.filter((label) => !isHubLabel(label));
  if (isObject(fields.comment) && Array.isArray(fields.comment.comments)) {
    fields.comment = { ...fields.comment, comments: fields.comment.comments.map((c: unknown) => (isObject(c) ? plainComment(c) : c)) };
  }
  return { ...issue, fields };
}

/**
 * One issue as a RemoteRecord: id the issue key, version and updatedAt its `fields.updated` as
 * ISO 8601 UTC (Jira renders timestamps in the reader's zone, so the raw text differs between a
 * pull and a webhook for the same change).
 */
export function toIssueRecord(issue: unknown, { deleted = false }: { deleted?: boolean } = {}): RemoteRecord {
  if (!isObject(issue) || typeof issue.key !== 'string' || issue.key === '') {
    throw new UnrecoverableVendorError(0, JSON.stringify(issue)?.slice(0, 200) ?? '', { message: 'Jira returned an issue without a key' });
  }
  const data = normalizeIssue(issue);
  const updatedAt = jiraInstant((data.fields as Json | undefined)?.updated);
  return {
    id: issue.key,
    ...(updatedAt === undefined ? {} : { version: updatedAt, updatedAt }),
    ...(deleted ? { deleted: true } : {}),
    data,
  };
}

/** One comment as a RemoteRecord of the `comment` object, naming the issue it is on. */
export function toCommentRecord(comment: unknown, issueKey: string, { deleted = false }: { deleted?: boolean } = {}): RemoteRecord {
  if (!isObject(comment) || (typeof comment.id !== 'string' && typeof comment.id !== 'number')) {
    throw new UnrecoverableVendorError(0, JSON.stringify(comment)?.slice(0, 200) ?? '', { message: 'Jira returned a comment without an id' });
  }
  const data: Json = { ...plainComment(comment), id: String(comment.id), issueKey };
  const updatedAt = jiraInstant(comment.updated) ?? jiraInstant(comment.created);
  return {
    id: String(comment.id),
    ...(updatedAt === undefined ? {} : { version: updatedAt, updatedAt }),
    ...(deleted ? { deleted: true } : {}),
    data,
  };
}
