import type { StoreEvent, StoredIssue } from './jira-store.ts';
import { renderComment, renderIssue, renderUser, type RenderContext } from './render-issue.ts';

export interface OutgoingEvent {
  webhookEvent: string;
  issue: StoredIssue;
  payload: Record<string, unknown>;
}

/** Comment events carry a cut-down issue, not the full one. */
function briefIssue(issue: StoredIssue, ctx: RenderContext): Record<string, unknown> {
  const full = renderIssue(issue, ctx, { fields: ['summary', 'issuetype', 'project', 'assignee', 'priority', 'status'], defaultFields: '*all' });
  return { id: full.id, self: full.self, key: full.key, fields: full.fields };
}

/**
 * Jira's webhook bodies for a store change. Webhooks always speak the v2 representation: plain
 * strings for descriptions and comments, whatever REST version made the change.
 */
export function webhookEventsFor(event: StoreEvent, ctx: RenderContext): OutgoingEvent[] {
  const base = {
    timestamp: event.at,
    user: renderUser(ctx.store.users.get(event.actorId), ctx),
  };
  const issue = renderIssue(event.issue, ctx, { defaultFields: '*all' });
  switch (event.kind) {
    case 'issue_created':
      return [{ webhookEvent: 'jira:issue_created', issue: event.issue, payload: { ...base, webhookEvent: 'jira:issue_created', issue_event_type_name: 'issue_created', issue } }];
    case 'issue_updated':
      return [
        {
          webhookEvent: 'jira:issue_updated',
          issue: event.issue,
          payload: {
            ...base,
            webhookEvent: 'jira:issue_updated',
            issue_event_type_name: event.eventType,
            issue,
            changelog: { id: event.history.id, items: event.history.items.map((item) => ({ ...item })) },
          },
        },
      ];
    case 'issue_deleted':
      return [{ webhookEvent: 'jira:issue_deleted', issue: event.issue, payload: { ...base, webhookEvent: 'jira:issue_deleted', issue_event_type_name: 'issue_deleted', issue } }];
    case 'comment_created':
    case 'comment_updated':
    case 'comment_deleted': {
      const comment = renderComment(event.comment, event.issue, ctx);
      const issueEventType = { comment_created: 'issue_commented', comment_updated: 'issue_comment_edited', comment_deleted: 'issue_comment_deleted' }[event.kind];
      return [
        {
          webhookEvent: event.kind,
          issue: event.issue,
          payload: { timestamp: event.at, webhookEvent: event.kind, comment, issue: briefIssue(event.issue, ctx) },
        },
        {
          webhookEvent: 'jira:issue_updated',
          issue: event.issue,
          payload: { ...base, webhookEvent: 'jira:issue_updated', issue_event_type_name: issueEventType, issue, comment },
        },
      ];
    }
  }
}
