import { Hono } from 'hono';
import { apiVersionOf, readJsonObject, renderContextOf, type FakeDeps, type FakeEnv } from '../fake-context.ts';
import { JiraError, issueNotFound } from '../jira-error.ts';
import type { StoredComment, StoredIssue } from '../jira-store.ts';
import { parseRichText } from '../parse-issue-fields.ts';
import { renderComment } from '../render-issue.ts';
import type { RichText } from '../adf.ts';

const api = '/rest/api/:version{2|3|latest}';

/** v2 takes a string body, v3 an ADF document; each answers in the shape it accepts. */
function readCommentBody(raw: unknown, apiVersion: '2' | '3'): RichText {
  if (raw === undefined || raw === null || raw === '') {
    throw new JiraError(400, { errors: { comment: 'Comment body can not be empty!' } });
  }
  const parsed = parseRichText(raw, apiVersion);
  if (parsed === null || typeof parsed === 'string') throw new JiraError(400, { errorMessages: ['Comment body is not valid!'] });
  if (parsed.text.trim() === '' && !parsed.adf) throw new JiraError(400, { errors: { comment: 'Comment body can not be empty!' } });
  return parsed;
}

export function commentRoutes(deps: FakeDeps): Hono<FakeEnv> {
  const app = new Hono<FakeEnv>();
  const { store } = deps;

  const load = (idOrKey: string): StoredIssue => {
    const issue = store.findIssue(idOrKey);
    if (!issue) throw issueNotFound();
    return issue;
  };
  const loadComment = (issue: StoredIssue, id: string): StoredComment => {
    const comment = issue.comments.find((candidate) => candidate.id === id);
    if (!comment) throw new JiraError(404, { errorMessages: [`Can not find a comment for the id: ${id}.`] });
    return comment;
  };

  app.get(`${api}/issue/:idOrKey/comment`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const ctx = renderContextOf(c, deps);
    const startAt = Math.max(0, Number(c.req.query('startAt') ?? 0) || 0);
    const maxResults = Math.min(5000, Math.max(0, Number(c.req.query('maxResults') ?? 5000) || 5000));
    const ordered = c.req.query('orderBy') === '-created' ? [...issue.comments].reverse() : issue.comments;
    const page = ordered.slice(startAt, startAt + maxResults);
    return c.json({ startAt, maxResults, total: issue.comments.length, comments: page.map((comment) => renderComment(comment, issue, ctx)) });
  });

  app.post(`${api}/issue/:idOrKey/comment`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const body = readJsonObject(c);
    const comment = store.addComment(issue, readCommentBody(body.body, apiVersionOf(c)), c.get('viewer').accountId);
    return c.json(renderComment(comment, issue, renderContextOf(c, deps)), 201);
  });

  app.get(`${api}/issue/:idOrKey/comment/:id`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    return c.json(renderComment(loadComment(issue, c.req.param('id')), issue, renderContextOf(c, deps)));
  });

  app.put(`${api}/issue/:idOrKey/comment/:id`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const comment = loadComment(issue, c.req.param('id'));
    const body = readJsonObject(c);
    store.updateComment(issue, comment, readCommentBody(body.body, apiVersionOf(c)), c.get('viewer').accountId);
    return c.json(renderComment(comment, issue, renderContextOf(c, deps)));
  });

  app.delete(`${api}/issue/:idOrKey/comment/:id`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    store.deleteComment(issue, loadComment(issue, c.req.param('id')), c.get('viewer').accountId);
    return c.body(null, 204);
  });

  return app;
}
