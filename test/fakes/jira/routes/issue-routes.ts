import { Hono } from 'hono';
import { apiVersionOf, readJson, readJsonObject, renderContextOf, type FakeContext, type FakeDeps, type FakeEnv } from '../fake-context.ts';
import { JiraError, fieldErrors, issueNotFound } from '../jira-error.ts';
import type { StoredIssue } from '../jira-store.ts';
import { parseIssueInput } from '../parse-issue-fields.ts';
import { availableTransitions, renderIssue, renderTransition, renderUser, toList } from '../render-issue.ts';
import { formatJiraDateTime } from '../jira-time.ts';

const api = '/rest/api/:version{2|3|latest}';

function parsePropertyList(value: unknown): [string, unknown][] | JiraError {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return new JiraError(400, { errorMessages: ['properties must be an array'] });
  const entries: [string, unknown][] = [];
  for (const entry of value) {
    const key = (entry as { key?: unknown })?.key;
    if (typeof key !== 'string' || key === '') return new JiraError(400, { errorMessages: ['The property key cannot be empty.'] });
    entries.push([key, (entry as { value?: unknown }).value]);
  }
  return entries;
}

/** Issues: create, read, edit, delete, transitions, entity properties, changelog. */
export function issueRoutes(deps: FakeDeps): Hono<FakeEnv> {
  const app = new Hono<FakeEnv>();
  const { store } = deps;

  const load = (idOrKey: string): StoredIssue => {
    const issue = store.findIssue(idOrKey);
    if (!issue) throw issueNotFound();
    return issue;
  };

  app.post(`${api}/issue`, (c) => {
    const body = readJsonObject(c);
    const parsed = parseIssueInput(body, { store, dialect: apiVersionOf(c), mode: 'create' });
    const properties = parsePropertyList(body.properties);
    if (properties instanceof JiraError) throw properties;
    if (Object.keys(parsed.errors).length > 0) throw fieldErrors(parsed.errors);
    const issue = store.createIssue(
      { projectId: parsed.projectId!, issueTypeId: parsed.issueTypeId!, patch: parsed.patch, properties },
      c.get('viewer').accountId,
    );
    const ctx = renderContextOf(c, deps);
    return c.json({ id: issue.id, key: issue.key, self: `${ctx.base}/rest/api/${ctx.apiVersion}/issue/${issue.id}` }, 201);
  });

  const getIssue = (agile: boolean) => (c: FakeContext) => {
    const issue = load(c.req.param('idOrKey') ?? '');
    const ctx = renderContextOf(c, deps, agile ? '2' : apiVersionOf(c));
    return c.json(
      renderIssue(issue, ctx, {
        fields: toList(c.req.queries('fields')),
        defaultFields: '*all',
        expand: toList(c.req.queries('expand')),
        properties: toList(c.req.queries('properties')),
      }),
    );
  };
  app.get(`${api}/issue/:idOrKey`, getIssue(false));
  // jira-client's getIssue() reads through the Agile API, which answers with the same issue.
  app.get('/rest/agile/1.0/issue/:idOrKey', getIssue(true));

  app.put(`${api}/issue/:idOrKey`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const body = readJsonObject(c);
    const parsed = parseIssueInput(body, { store, dialect: apiVersionOf(c), mode: 'edit', issue });
    const properties = parsePropertyList(body.properties);
    if (properties instanceof JiraError) throw properties;
    if (Object.keys(parsed.errors).length > 0) throw fieldErrors(parsed.errors);
    const actor = c.get('viewer').accountId;
    store.updateIssue(issue, parsed.patch, actor);
    for (const [key, value] of properties) store.setProperty(issue, key, value);
    for (const comment of parsed.comments) store.addComment(issue, comment, actor);
    if (c.req.query('returnIssue') === 'true') {
      return c.json(renderIssue(issue, renderContextOf(c, deps), { defaultFields: '*all', expand: toList(c.req.queries('expand')) }));
    }
    return c.body(null, 204);
  });

  app.delete(`${api}/issue/:idOrKey`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const subtasks = [...store.issues.values()].filter((candidate) => candidate.parentId === issue.id);
    if (subtasks.length > 0 && c.req.query('deleteSubtasks') !== 'true') {
      throw new JiraError(400, { errorMessages: [`The issue '${issue.key}' has subtasks. Set deleteSubtasks=true to delete the issue and its subtasks.`] });
    }
    const actor = c.get('viewer').accountId;
    for (const subtask of subtasks) store.deleteIssue(subtask, actor);
    store.deleteIssue(issue, actor);
    return c.body(null, 204);
  });

  app.get(`${api}/issue/:idOrKey/transitions`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const ctx = renderContextOf(c, deps);
    const withFields = toList(c.req.queries('expand')).includes('transitions.fields');
    const only = c.req.query('transitionId');
    const list = availableTransitions(issue).filter((transition) => only === undefined || transition.id === only);
    return c.json({ expand: 'transitions', transitions: list.map((transition) => renderTransition(transition, ctx, withFields)) });
  });

  app.post(`${api}/issue/:idOrKey/transitions`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const body = readJsonObject(c);
    const wanted = (body.transition as { id?: unknown } | undefined)?.id;
    if (wanted === undefined || wanted === null || wanted === '') {
      throw new JiraError(400, { errorMessages: ["Missing 'transition' identifier"] });
    }
    const transition = availableTransitions(issue).find((candidate) => candidate.id === String(wanted));
    if (!transition) {
      throw new JiraError(400, { errorMessages: [`Transition id '${String(wanted)}' is not valid for this issue.`] });
    }
    const parsed = parseIssueInput(body, { store, dialect: apiVersionOf(c), mode: 'transition', issue });
    if (Object.keys(parsed.errors).length > 0) throw fieldErrors(parsed.errors);
    const actor = c.get('viewer').accountId;
    store.transitionIssue(issue, transition, parsed.patch, actor);
    for (const comment of parsed.comments) store.addComment(issue, comment, actor);
    return c.body(null, 204);
  });

  app.get(`${api}/issue/:idOrKey/changelog`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const ctx = renderContextOf(c, deps);
    const startAt = Math.max(0, Number(c.req.query('startAt') ?? 0) || 0);
    const maxResults = Math.min(100, Math.max(1, Number(c.req.query('maxResults') ?? 100) || 100));
    const values = issue.changelog.slice(startAt, startAt + maxResults).map((history) => ({
      id: history.id,
      author: renderUser(store.users.get(history.authorId), ctx),
      created: formatJiraDateTime(history.created, ctx.timeZone),
      items: history.items.map((item) => ({ ...item })),
    }));
    return c.json({
      self: `${ctx.base}/rest/api/${ctx.apiVersion}/issue/${issue.key}/changelog?maxResults=${maxResults}&startAt=${startAt}`,
      maxResults,
      startAt,
      total: issue.changelog.length,
      isLast: startAt + values.length >= issue.changelog.length,
      values,
    });
  });

  app.get(`${api}/issue/:idOrKey/properties`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const ctx = renderContextOf(c, deps);
    return c.json({
      keys: [...issue.properties.keys()].map((key) => ({ self: `${ctx.base}/rest/api/${ctx.apiVersion}/issue/${issue.id}/properties/${key}`, key })),
    });
  });

  app.get(`${api}/issue/:idOrKey/properties/:propertyKey`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const key = c.req.param('propertyKey');
    if (!issue.properties.has(key)) throw new JiraError(404, { errorMessages: [`The property with key '${key}' does not exist.`] });
    return c.json({ key, value: issue.properties.get(key) });
  });

  app.put(`${api}/issue/:idOrKey/properties/:propertyKey`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const key = c.req.param('propertyKey');
    if (key.length > 255) throw new JiraError(400, { errorMessages: ['The property key cannot be longer than 255 characters.'] });
    if (c.get('rawBody').length > 32_768) {
      throw new JiraError(400, { errorMessages: ['The property value cannot be longer than 32768 characters.'] });
    }
    const value = readJson(c);
    const outcome = store.setProperty(issue, key, value);
    // Jira answers 201 for a new property and 200 for an overwrite, both without a body.
    return c.body(null, outcome === 'created' ? 201 : 200);
  });

  app.delete(`${api}/issue/:idOrKey/properties/:propertyKey`, (c) => {
    const issue = load(c.req.param('idOrKey'));
    const key = c.req.param('propertyKey');
    if (!store.deleteProperty(issue, key)) throw new JiraError(404, { errorMessages: [`The property with key '${key}' does not exist.`] });
    return c.body(null, 204);
  });

  return app;
}
