import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { readJsonObject, renderContextOf, type FakeContext, type FakeDeps, type FakeEnv } from '../fake-context.ts';
import { JiraError } from '../jira-error.ts';
import type { StoredIssue } from '../jira-store.ts';
import { compileJql } from '../jql-evaluate.ts';
import { parseJql } from '../jql-parse.ts';
import { renderIssue, toList } from '../render-issue.ts';

const api = '/rest/api/:version{2|3|latest}';

interface SearchInput {
  jql: string;
  startAt: number;
  maxResults?: number;
  fields: string[];
  expand: string[];
  properties: string[];
  validateQuery: string;
  nextPageToken?: string;
  reconcileIssues: Set<string>;
}

function readSearchInput(c: FakeContext): SearchInput {
  if (c.req.method === 'GET') {
    const maxResults = c.req.query('maxResults');
    return {
      jql: c.req.query('jql') ?? '',
      startAt: Number(c.req.query('startAt') ?? 0) || 0,
      maxResults: maxResults === undefined ? undefined : Number(maxResults),
      fields: toList(c.req.queries('fields')),
      expand: toList(c.req.queries('expand')),
      properties: toList(c.req.queries('properties')),
      validateQuery: c.req.query('validateQuery') ?? 'strict',
      nextPageToken: c.req.query('nextPageToken'),
      reconcileIssues: new Set(toList(c.req.queries('reconcileIssues'))),
    };
  }
  const body = readJsonObject(c);
  return {
    jql: typeof body.jql === 'string' ? body.jql : '',
    startAt: Number(body.startAt ?? 0) || 0,
    maxResults: body.maxResults === undefined ? undefined : Number(body.maxResults),
    fields: toList(body.fields),
    expand: toList(body.expand),
    properties: toList(body.properties),
    validateQuery: String(body.validateQuery ?? 'strict'),
    nextPageToken: typeof body.nextPageToken === 'string' ? body.nextPageToken : undefined,
    reconcileIssues: new Set(toList(body.reconcileIssues)),
  };
}

const removedMessage =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

const jqlHash = (jql: string) => createHash('sha256').update(jql).digest('base64url').slice(0, 12);

/** Issue search: the enhanced `/search/jql` endpoint, and the legacy `/search` where enabled. */
export function searchRoutes(deps: FakeDeps): Hono<FakeEnv> {
  const app = new Hono<FakeEnv>();
  const { store, settings } = deps;

  const run = (c: FakeContext, input: SearchInput, strict: boolean) => {
    const query = parseJql(input.jql);
    const compiled = compileJql(query, {
      store,
      viewer: c.get('viewer'),
      now: store.now(),
      indexedProperties: settings.indexedProperties,
    });
    if (strict && compiled.problems.length > 0) throw new JiraError(400, { errorMessages: [...compiled.problems] });
    const issues = store.searchable(input.reconcileIssues).filter(compiled.matches).sort(compiled.compare);
    return { query, issues, problems: compiled.problems };
  };

  const render = (c: FakeContext, issue: StoredIssue, input: SearchInput, defaultFields: '*navigable' | '*all') =>
    renderIssue(issue, renderContextOf(c, deps), { fields: input.fields, defaultFields, expand: input.expand, properties: input.properties });

  const legacy = (c: FakeContext) => {
    if (settings.legacySearch === 'removed') throw new JiraError(410, { errorMessages: [removedMessage] });
    const input = readSearchInput(c);
    const mode = input.validateQuery.toLowerCase();
    const { issues, problems } = run(c, input, mode === 'strict' || mode === 'true');
    const maxResults = Math.max(0, Math.min(input.maxResults ?? 50, settings.searchMaxResults));
    const startAt = Math.max(0, input.startAt);
    const page = issues.slice(startAt, startAt + maxResults);
    return c.json({
      expand: 'schema,names',
      startAt,
      maxResults,
      total: issues.length,
      issues: page.map((issue) => render(c, issue, input, '*navigable')),
      ...(mode === 'warn' && problems.length > 0 ? { warningMessages: problems } : {}),
    });
  };
  app.get(`${api}/search`, legacy);
  app.post(`${api}/search`, legacy);

  const enhanced = (c: FakeContext) => {
    const input = readSearchInput(c);
    const { query, issues } = run(c, input, true);
    if (query.where === null) {
      throw new JiraError(400, { errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'] });
    }
    let offset = 0;
    if (input.nextPageToken !== undefined) {
      try {
        const token = JSON.parse(Buffer.from(input.nextPageToken, 'base64url').toString('utf8')) as { o: number; h: string };
        if (token.h !== jqlHash(input.jql) || !Number.isInteger(token.o) || token.o < 0) throw new Error('mismatch');
        offset = token.o;
      } catch {
        throw new JiraError(400, { errorMessages: ['The provided next page token is invalid or expired.'] });
      }
    }
    const idsOnly = input.fields.length === 0 || input.fields.every((field) => field === 'id' || field === 'key');
    const cap = idsOnly ? 5000 : settings.searchMaxResults;
    const maxResults = Math.max(1, Math.min(input.maxResults ?? 50, cap));
    const page = issues.slice(offset, offset + maxResults);
    const isLast = offset + page.length >= issues.length;
    return c.json({
      // Without `fields` the enhanced search returns ids only: callers must ask for what they need.
      issues: page.map((issue) => (input.fields.length === 0 ? { id: issue.id } : render(c, issue, input, '*navigable'))),
      // Jira omits the key on the last page rather than sending null (JRACLOUD-92184).
      ...(isLast ? {} : { nextPageToken: Buffer.from(JSON.stringify({ o: offset + page.length, h: jqlHash(input.jql) })).toString('base64url') }),
      isLast,
    });
  };
  app.get(`${api}/search/jql`, enhanced);
  app.post(`${api}/search/jql`, enhanced);

  app.post(`${api}/search/approximate-count`, (c) => {
    const input = readSearchInput(c);
    const { query, issues } = run(c, input, true);
    if (query.where === null) {
      throw new JiraError(400, { errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'] });
    }
    return c.json({ count: issues.length });
  });

  return app;
}
