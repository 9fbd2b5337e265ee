import { UnrecoverableVendorError, type CheckResult } from '../sdk/index.ts';
import { createJiraSession } from './create-jira-session.ts';
import type { JiraContext } from './jira-context.ts';

/**
 * Who the credentials sign in as (`GET /myself`), then that the project exists for them and takes
 * the configured issue type, so a typo fails at set-up rather than on the first sync.
 */
export async function checkJira(ctx: JiraContext): Promise<CheckResult> {
  const session = createJiraSession(ctx);
  const { projectKey, issueType } = ctx.config;
  const me = await session.run<{ displayName?: unknown; accountId?: unknown } | undefined>((client) => client.getCurrentUser());
  const who = typeof me?.displayName === 'string' ? me.displayName : typeof me?.accountId === 'string' ? me.accountId : 'the API user';
  let project: { name?: unknown; issueTypes?: unknown } | undefined;
  try {
    project = await session.run((client) => client.getProject(projectKey));
  } catch (err) {
    if (err instanceof UnrecoverableVendorError && err.status === 404) {
      return { ok: false, code: 'misconfigured', message: `Signed in to Jira as ${who}, but project ${projectKey} does not exist or ${who} cannot see it` };
    }
    throw err;
  }
  const types = Array.isArray(project?.issueTypes) ? (project.issueTypes as { name?: unknown }[]).map((t) => t.name).filter((n): n is string => typeof n === 'string') : [];
  if (types.length > 0 && !types.some((name) => name.toLowerCase() === issueType.toLowerCase())) {
    return { ok: false, code: 'misconfigured', message: `Project ${projectKey} has no issue type "${issueType}"; it has ${types.join(', ')}` };
  }
  const name = typeof project?.name === 'string' ? ` (${project.name})` : '';
  return { ok: true, message: `Signed in to Jira as ${who}; project ${projectKey}${name} takes ${issueType} issues` };
}
