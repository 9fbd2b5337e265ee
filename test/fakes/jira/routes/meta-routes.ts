import { Hono } from 'hono';
import { renderContextOf, type FakeDeps, type FakeEnv } from '../fake-context.ts';
import { JiraError } from '../jira-error.ts';
import { formatJiraDateTime } from '../jira-time.ts';
import { renderIssueType, renderPriority, renderProject, renderStatus, renderUser } from '../render-issue.ts';
import { issueTypes, priorities, statuses } from '../workflow.ts';

const api = '/rest/api/:version{2|3|latest}';

/** The read-only site metadata a connector checks at set-up: who am I, which projects and types. */
export function metaRoutes(deps: FakeDeps): Hono<FakeEnv> {
  const app = new Hono<FakeEnv>();
  const { store } = deps;

  app.get(`${api}/myself`, (c) => {
    const ctx = renderContextOf(c, deps);
    return c.json({
      ...renderUser(c.get('viewer'), ctx),
      locale: c.get('viewer').locale,
      groups: { size: 1, items: [] },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    });
  });

  app.get(`${api}/serverInfo`, (c) => {
    const now = store.now();
    return c.json({
      baseUrl: deps.siteUrl(),
      displayUrl: deps.siteUrl(),
      version: '1001.0.0-SNAPSHOT',
      versionNumbers: [1001, 0, 0],
      deploymentType: 'Cloud',
      buildNumber: 100_287,
      buildDate: '2026-01-05T00:00:00.000+0000',
      serverTime: formatJiraDateTime(now, 'UTC'),
      scmInfo: 'fake',
      serverTitle: 'Jira',
      defaultLocale: { locale: 'en_US' },
      serverTimeZone: 'Etc/UTC',
    });
  });

  app.get(`${api}/project`, (c) => {
    const ctx = renderContextOf(c, deps);
    return c.json([...store.projects.values()].map((project) => renderProject(project, ctx)));
  });

  app.get(`${api}/project/:keyOrId`, (c) => {
    const project = store.findProject(c.req.param('keyOrId'));
    if (!project) throw new JiraError(404, { errorMessages: ['No project could be found with key \'' + c.req.param('keyOrId') + '\'.'] });
    const ctx = renderContextOf(c, deps);
    return c.json({
      ...renderProject(project, ctx),
      lead: renderUser(store.users.get(project.leadAccountId), ctx),
      issueTypes: issueTypes.map((type) => renderIssueType(type, ctx)),
      assigneeType: 'UNASSIGNED',
    });
  });

  app.get(`${api}/issuetype`, (c) => {
    const ctx = renderContextOf(c, deps);
    return c.json(issueTypes.map((type) => renderIssueType(type, ctx)));
  });

  app.get(`${api}/priority`, (c) => {
    const ctx = renderContextOf(c, deps);
    return c.json(priorities.map((priority) => renderPriority(priority, ctx)));
  });

  app.get(`${api}/status`, (c) => {
    const ctx = renderContextOf(c, deps);
    return c.json(statuses.map((status) => renderStatus(status, ctx)));
  });

  app.get(`${api}/user`, (c) => {
    const user = store.users.get(c.req.query('accountId') ?? '');
    if (!user) throw new JiraError(404, { errorMessages: [`The user with account ID '${c.req.query('accountId') ?? ''}' does not exist`] });
    return c.json(renderUser(user, renderContextOf(c, deps)));
  });

  return app;
}
