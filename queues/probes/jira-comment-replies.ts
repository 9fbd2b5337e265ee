import { connectionsCollection } from '../../core/connections/index.ts';
import type { InboundWebhookHandler } from '../../webhooks/index.ts';
import { handleProbeReply } from './handle-probe-reply.ts';
import { milestonesOfIssue } from './linked-issues.ts';
import type { ProbeDeps } from './probe-deps.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The webhook handler that reads Jira comments as probe replies: a new comment on an issue
 * linked (core/sync links) to a milestone with an open probe answers that probe. The comment id
 * is the processed-key. Comments on unlinked issues, or on milestones nobody asked about, are
 * ignored, as are edits and deletions.
 */
export function jiraCommentReplies(deps: ProbeDeps): InboundWebhookHandler {
  return {
    name: 'probe-jira-comments',
    async handle(event, { db }) {
      if (event.connectorId !== 'jira') return { status: 'ignored', reason: 'not a Jira connection' };
      const comments = event.changes.filter((c) => c.object === 'comment' && c.type === 'comment_created' && c.deleted !== true && isObject(c.record));
      if (comments.length === 0) return { status: 'ignored', reason: 'no new comment' };
      const connection = await db.collection(connectionsCollection).findById(event.connectionId);
      if (!connection) return { status: 'ignored', reason: 'unknown connection' };
      let applied = 0;
      for (const change of comments) {
        const record = change.record as Json;
        const issueKey = typeof record.issueKey === 'string' ? record.issueKey : undefined;
        const text = typeof record.body === 'string' ? record.body : '';
        if (issueKey === undefined || text.trim() === '') continue;
        const milestoneIds = await milestonesOfIssue(db, event.connectionId, issueKey);
        if (milestoneIds.length === 0) continue;
        const author = isObject(record.author) ? record.author : {};
        const outcome = await handleProbeReply(deps, {
          tenantId: event.tenantId,
          channel: 'jira',
          from: typeof author.accountId === 'string' ? author.accountId : 'unknown',
          text,
          // The hub's clock, not Jira's: replies and probes are timed on one clock.
          receivedAt: deps.now(),
          providerMessageId: `${event.connectionId}:${String(change.id)}`,
          issueKey,
          issueMilestoneIds: milestoneIds,
        });
        if (outcome.status === 'applied' || outcome.status === 'duplicate') applied += 1;
      }
      return applied > 0 ? { status: 'processed' } : { status: 'ignored', reason: 'no comment answered an open probe' };
    },
  };
}
