import { UnrecoverableVendorError, VendorError, type PushRequest, type PushResult, type RemoteRecord } from '../sdk/index.ts';
import { createJiraSession, type JiraSession } from './create-jira-session.ts';
import { HUB_PROPERTY, idempotencyLabel, isHubLabel } from './idempotency-label.ts';
import { issueInput, type IssueInput } from './issue-input.ts';
import type { JiraContext } from './jira-context.ts';
import { applyTransition, closeIssue, jiraStatusName, planStatusMove, statusOf } from './move-issue-status.ts';
import { fetchIssue, readIssue } from './read-issue.ts';
import { toIssueRecord } from './to-remote-record.ts';
import { jqlString, searchIssues } from './search-issues.ts';

/** The entity property value on every issue the connector creates. */
export interface HubIssueProperty {
  idempotencyKey: string;
  hubId?: string;
}

/**
 * Creates, updates or deletes (or closes) one issue. Jira has no idempotency keys, so a create
 * first looks for an issue it made for the same key (label, then entity property) and returns
 * that one; an update sends the same values again harmlessly. Status changes go through the
 * workflow's transitions.
 *
 * The result carries the issue as written (its version is what tells an echo from a change)
 * unless the caller says `readBack: false`, as sync does for mappings that never read Jira: then
 * the write is all that is sent. An edit asks Jira to answer with the issue (`returnIssue`), so
 * where Jira does (Cloud) the edit costs one request; where it answers 204 (Data Center), the issue is read.
 */
export async function pushIssue(ctx: JiraContext, request: PushRequest): Promise<PushResult> {
  const session = createJiraSession(ctx);
  switch (request.op) {
    case 'create':
      return createIssue(session, request);
    case 'update':
      return updateIssue(session, request.id!, issueInput(request.data!, ctx.config, 'edit'), wantsReadBack(request));
    case 'delete':
      return deleteIssue(session, request);
  }
}

async function createIssue(session: JiraSession, request: PushRequest): Promise<PushResult> {
  const { config } = session.ctx;
  const input = issueInput(request.data!, config, 'create');
  const label = idempotencyLabel(request.idempotencyKey);
  let key = await findCreated(session, label, request.idempotencyKey);
  if (key === undefined) {
    const labels = Array.isArray(input.fields.labels) ? input.fields.labels : [];
    const hubId = hubIdOf(request);
    const property: HubIssueProperty = { idempotencyKey: request.idempotencyKey, ...(hubId === undefined ? {} : { hubId }) };
    const body = {
      fields: { ...input.fields, labels: [...new Set([...labels, label])] },
      ...(input.update === undefined ? {} : { update: input.update }),
      properties: [...(input.properties ?? []).filter((p) => p.key !== HUB_PROPERTY), { key: HUB_PROPERTY, value: property }],
    };
    const created = await session.run<{ key?: unknown } | undefined>((client) => client.addNewIssue(body));
    if (typeof created?.key !== 'string') throw new UnrecoverableVendorError(201, JSON.stringify(created)?.slice(0, 500) ?? '', { message: 'create issue: Jira answered without the new key' });
    key = created.key;
  }
  if (input.status === undefined) return wantsReadBack(request) ? readBack(session, key) : { id: key };
  // A status asked for on create is reached like any other status change.
  return updateIssue(session, key, { fields: {}, status: input.status }, wantsReadBack(request));
}

/**
 * The issue created earlier for this idempotency key, if any: a crash after Jira created it but
 * before the hub recorded the link must not create a second one. The label narrows the search
 * (Jira cannot search entity properties without an installed app); the property confirms the key.
 */
async function findCreated(session: JiraSession, label: string, idempotencyKey: string): Promise<string | undefined> {
  const jql = `project = ${jqlString(session.ctx.config.projectKey)} AND labels = ${jqlString(label)} ORDER BY created ASC`;
  const issues = await searchForCreated(session, jql);
  if (issues === undefined) {
    session.ctx.logger.warn({ connectionId: session.ctx.connectionId }, 'Jira offers no issue search here; creating without looking for an earlier attempt');
    return undefined;
  }
  for (const issue of issues) {
    const property = (issue.properties as Record<string, unknown> | undefined)?.[HUB_PROPERTY] as Partial<HubIssueProperty> | undefined;
    if (property?.idempotencyKey === idempotencyKey && typeof issue.key === 'string') return issue.key;
  }
  return undefined;
}

/**
 * Issues matching the JQL through `/search/jql` (Jira Cloud), else the older `/search` (Jira Data
 * Center has no `/search/jql`); undefined when the server has neither, as a minimal
 * Jira-compatible server may not.
 */
async function searchForCreated(session: JiraSession, jql: string): Promise<Record<string, unknown>[] | undefined> {
  const query = { jql, maxResults: 20, fields: ['created'], properties: [HUB_PROPERTY] };
  try {
    return (await searchIssues(session, query)).issues;
  } catch (err) {
    if (!(err instanceof UnrecoverableVendorError && (err.status === 404 || err.status === 405 || err.status < 300))) throw err;
  }
  try {
    const answer = await session.request<{ issues?: unknown } | undefined>('POST', '/search', { body: query });
    return Array.isArray(answer?.issues) ? (answer.issues as Record<string, unknown>[]) : undefined;
  } catch (err) {
    if (err instanceof UnrecoverableVendorError) return undefined;
    throw err;
  }
}

async function updateIssue(session: JiraSession, key: string, input: IssueInput, back: boolean): Promise<PushResult> {
  const { config } = session.ctx;
  const fields = { ...input.fields };
  const current = input.status !== undefined || Array.isArray(fields.labels) ? await fetchIssue(session, key, ['status', 'labels']) : undefined;
  if (current === null) throw new UnrecoverableVendorError(404, '', { message: `update issue: ${key} no longer exists in Jira` });
  if (Array.isArray(fields.labels) && current !== undefined) {
    // The connector's own label outlives edits of the labels a mapping owns.
    const kept = ((current.fields as { labels?: unknown } | undefined)?.labels as unknown[] | undefined)?.filter(isHubLabel) ?? [];
    fields.labels = [...new Set([...(fields.labels as unknown[]), ...kept])];
  }
  let transition;
  if (input.status !== undefined) {
    const status = current === undefined ? undefined : statusOf(current);
    if (status === undefined) throw new UnrecoverableVendorError(200, '', { message: `update issue: Jira did not report the status of ${key}` });
    // Checked before anything is written, so a refused move leaves the issue untouched.
    transition = await planStatusMove(session, key, status.name, jiraStatusName(config, input.status));
  }
  if (Object.keys(fields).length > 0 || input.update !== undefined) {
    // Without a transition to follow, the edit's own answer can be the read-back.
    const answerWithIssue = back && transition === undefined;
    const answer = await session.run<unknown>((client) =>
      client.updateIssue(key, { fields, ...(input.update === undefined ? {} : { update: input.update }) }, answerWithIssue ? { returnIssue: true } : {}),
    );
    const returned = answerWithIssue ? returnedIssue(answer, key) : undefined;
    if (returned !== undefined) return returned;
  }
  if (transition !== undefined) await applyTransition(session, key, transition);
  return back ? readBack(session, key) : { id: key };
}

/**
 * The issue an edit answered with (`returnIssue`), when it is this issue with the version field;
 * undefined when Jira answered 204 or with less, and the issue must be read.
 */
function returnedIssue(answer: unknown, key: string): PushResult | undefined {
  if (answer === null || typeof answer !== 'object') return undefined;
  const issue = answer as { key?: unknown; fields?: { updated?: unknown } };
  if (issue.key !== key || typeof issue.fields?.updated !== 'string') return undefined;
  try {
    const record = toIssueRecord(answer);
    return record.version === undefined ? undefined : resultOf(record);
  } catch {
    return undefined;
  }
}

async function deleteIssue(session: JiraSession, request: PushRequest): Promise<PushResult> {
  const { config } = session.ctx;
  const key = request.id!;
  const mode = request.data?.deleteMode === 'close' || request.data?.deleteMode === 'delete' ? request.data.deleteMode : config.deleteMode;
  if (mode === 'close') {
    const current = await fetchIssue(session, key, ['status']);
    const status = current === null ? undefined : statusOf(current);
    if (status === undefined) return { id: key };
    await closeIssue(session, config, key, status);
    return wantsReadBack(request) ? readBack(session, key) : { id: key };
  }
  try {
    await session.run((client) => client.deleteIssue(key));
  } catch (err) {
    // Already gone is what a delete wants.
    if (!(err instanceof UnrecoverableVendorError && err.status === 404)) throw err;
  }
  return { id: key };
}

/**
 * The written issue as Jira now has it. The write has happened, so a failed read does not fail
 * the push (a retry would write again): the result then carries the key alone.
 */
async function readBack(session: JiraSession, key: string): Promise<PushResult> {
  try {
    const record = await readIssue(session, key);
    if (record !== null) return resultOf(record);
  } catch (err) {
    if (!(err instanceof VendorError)) throw err;
    session.ctx.logger.warn({ connectionId: session.ctx.connectionId, issue: key, err: { name: err.name, message: err.message } }, 'wrote a Jira issue but could not read it back');
  }
  return { id: key };
}

function resultOf(record: RemoteRecord): PushResult {
  return { id: record.id, ...(record.version === undefined ? {} : { version: record.version }), data: record.data };
}

// Whether the caller wants the written issue back; sync says no for mappings that never read Jira.
function wantsReadBack(request: PushRequest): boolean {
  return request.readBack !== false;
}

// The hub record a push is for, when the caller names it; stored on the issue for lineage.
function hubIdOf(request: PushRequest): string | undefined {
  return request.hubId === '' ? undefined : request.hubId;
}
