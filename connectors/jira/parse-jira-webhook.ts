import type { WebhookChange, WebhookInput, WebhookParseResult } from '../sdk/index.ts';
import type { JiraConfig } from './jira-settings.ts';
import { toCommentRecord, toIssueRecord } from './to-remote-record.ts';

type Json = Record<string, unknown>;

/** A change with the record's version and update time, as pulls report them. */
export interface JiraWebhookChange extends WebhookChange {
  /** `fields.updated` (or the comment's `updated`) as ISO 8601 UTC, comparable with pulled versions. */
  version?: string;
  updatedAt?: string;
}

const ISSUE_EVENTS = new Set(['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted']);
const COMMENT_EVENTS = new Set(['comment_created', 'comment_updated', 'comment_deleted']);

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const invalid = (message: string): WebhookParseResult => ({ ok: false, error: { code: 'invalid_body', message } });

/**
 * Reads a verified Jira webhook (scheme `jira`): issue events become `issue` changes carrying the
 * issue as `pull` returns it, comment events `comment` changes; deletes are tombstones. The event
 * id is `X-Atlassian-Webhook-Identifier`, the same on every retry of one delivery. Events of other
 * projects, and event types the hub does not sync, come back as changes without an object, which
 * nothing applies.
 */
export function parseJiraWebhook(input: WebhookInput, config: Partial<JiraConfig> | undefined): WebhookParseResult {
  const text = Buffer.from(input.rawBody).toString('utf8');
  if (text.trim() === '') return invalid('the body is empty; turn off "Exclude body" on the Jira webhook');
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (err) {
    return invalid(`the body is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(payload) || typeof payload.webhookEvent !== 'string' || payload.webhookEvent === '') {
    return invalid('not a Jira webhook: the body has no webhookEvent');
  }
  const type = payload.webhookEvent;
  const eventId = input.headers['x-atlassian-webhook-identifier']?.trim() || undefined;
  const occurredAt = typeof payload.timestamp === 'number' && Number.isFinite(payload.timestamp) ? new Date(payload.timestamp).toISOString() : undefined;
  const base: WebhookChange = { type, data: payload, ...(eventId === undefined ? {} : { eventId }), ...(occurredAt === undefined ? {} : { occurredAt }) };

  const issue = payload.issue;
  const issueKey = isObject(issue) && typeof issue.key === 'string' && issue.key !== '' ? issue.key : undefined;
  if (!ISSUE_EVENTS.has(type) && !COMMENT_EVENTS.has(type)) return { ok: true, changes: [base] };
  if (issueKey === undefined) return invalid(`a ${type} event without an issue key`);
  const project = isObject(issue) && isObject(issue.fields) && isObject(issue.fields.project) ? issue.fields.project.key : undefined;
  if (typeof config?.projectKey === 'string' && typeof project === 'string' && project !== config.projectKey) return { ok: true, changes: [base] };

  if (ISSUE_EVENTS.has(type)) {
    const record = toIssueRecord(issue, { deleted: type === 'jira:issue_deleted' });
    const change: JiraWebhookChange = {
      ...base,
      object: 'issue',
      id: record.id,
      record: record.data,
      ...(record.deleted === true ? { deleted: true } : {}),
      ...(record.version === undefined ? {} : { version: record.version, updatedAt: record.updatedAt! }),
    };
    return { ok: true, changes: [change] };
  }
  const comment = payload.comment;
  if (!isObject(comment) || (typeof comment.id !== 'string' && typeof comment.id !== 'number')) return invalid(`a ${type} event without a comment id`);
  const record = toCommentRecord(comment, issueKey, { deleted: type === 'comment_deleted' });
  const change: JiraWebhookChange = {
    ...base,
    object: 'comment',
    id: record.id,
    record: record.data,
    ...(record.deleted === true ? { deleted: true } : {}),
    ...(record.version === undefined ? {} : { version: record.version, updatedAt: record.updatedAt! }),
  };
  return { ok: true, changes: [change] };
}
