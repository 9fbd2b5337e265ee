import { renderRichText } from './adf.ts';
import { formatJiraDateTime } from './jira-time.ts';
import type { FakeProject, FakeUser, JiraStore, StoredComment, StoredIssue } from './jira-store.ts';
import {
  categoryOf,
  doneResolution,
  issueTypes,
  priorities,
  statusById,
  transitions,
  type IssueTypeDef,
  type PriorityDef,
  type StatusDef,
  type TransitionDef,
} from './workflow.ts';

/** Everything that changes how the same stored issue reads: who asks, through which URL and version. */
export interface RenderContext {
  store: JiraStore;
  /** Site URL, or the `/ex/jira/{cloudId}` gateway URL when the request came that way. */
  base: string;
  apiVersion: '2' | '3';
  timeZone: string;
}

type Json = Record<string, unknown>;

const api = (ctx: RenderContext) => `${ctx.base}/rest/api/${ctx.apiVersion}`;

function avatarUrls(seed: string): Record<string, string> {
  const url = `https://secure.gravatar.com/avatar/${seed}?d=identicon`;
  return { '48x48': url, '24x24': url, '16x16': url, '32x32': url };
}

export function renderUser(user: FakeUser | undefined, ctx: RenderContext): Json | null {
  if (!user) return null;
  return {
    self: `${api(ctx)}/user?accountId=${user.accountId}`,
    accountId: user.accountId,
    emailAddress: user.emailAddress,
    avatarUrls: avatarUrls(user.accountId),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
    accountType: 'atlassian',
  };
}

export function renderStatus(status: StatusDef, ctx: RenderContext): Json {
  const category = categoryOf(status);
  return {
    self: `${api(ctx)}/status/${status.id}`,
    description: status.description,
    iconUrl: `${ctx.base}/images/icons/statuses/generic.png`,
    name: status.name,
    id: status.id,
    statusCategory: {
      self: `${api(ctx)}/statuscategory/${category.id}`,
      id: category.id,
      key: category.key,
      colorName: category.colorName,
      name: category.name,
    },
  };
}

export function renderIssueType(type: IssueTypeDef, ctx: RenderContext): Json {
  return {
    self: `${api(ctx)}/issuetype/${type.id}`,
    id: type.id,
    description: type.description,
    iconUrl: `${ctx.base}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${type.avatarId}?size=medium`,
    name: type.name,
    subtask: type.subtask,
    avatarId: type.avatarId,
    hierarchyLevel: type.hierarchyLevel,
  };
}

export function renderPriority(priority: PriorityDef, ctx: RenderContext): Json {
  return {
    self: `${api(ctx)}/priority/${priority.id}`,
    iconUrl: `${ctx.base}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
  };
}

export function renderProject(project: FakeProject, ctx: RenderContext): Json {
  return {
    self: `${api(ctx)}/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: 'software',
    simplified: false,
    avatarUrls: avatarUrls(project.key),
  };
}

export function renderComment(comment: StoredComment, issue: StoredIssue, ctx: RenderContext): Json {
  return {
    self: `${api(ctx)}/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author: renderUser(ctx.store.users.get(comment.authorId), ctx),
    body: renderRichText(comment.body, ctx.apiVersion),
    updateAuthor: renderUser(ctx.store.users.get(comment.updateAuthorId), ctx),
    created: formatJiraDateTime(comment.created, ctx.timeZone),
    updated: formatJiraDateTime(comment.updated, ctx.timeZone),
    jsdPublic: true,
  };
}

export function renderTransition(transition: TransitionDef, ctx: RenderContext, withFields: boolean): Json {
  return {
    id: transition.id,
    name: transition.name,
    to: renderStatus(statusById(transition.to)!, ctx),
    hasScreen: false,
    isGlobal: false,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
    ...(withFields ? { fields: {} } : {}),
  };
}

export function availableTransitions(issue: StoredIssue): TransitionDef[] {
  return transitions.filter((transition) => transition.from.includes(issue.statusId));
}

function issueLink(issue: StoredIssue, ctx: RenderContext): Json {
  return {
    id: issue.id,
    key: issue.key,
    self: `${api(ctx)}/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      status: renderStatus(statusById(issue.statusId)!, ctx),
      priority: renderPriority(priorities.find((priority) => priority.id === issue.priorityId)!, ctx),
      issuetype: renderIssueType(issueTypes.find((type) => type.id === issue.issueTypeId)!, ctx),
    },
  };
}

/** Navigable fields are what search returns by default; `comment` is the one heavy field left out. */
const nonNavigable = new Set(['comment']);

function allFields(issue: StoredIssue, ctx: RenderContext): Json {
  const { store, timeZone } = ctx;
  const date = (at: number | null) => (at === null ? null : formatJiraDateTime(at, timeZone));
  const parent = issue.parentId === null ? undefined : store.issues.get(issue.parentId);
  const subtasks = [...store.issues.values()].filter((candidate) => candidate.parentId === issue.id);
  return {
    statuscategorychangedate: date(issue.statusCategoryChangedAt),
    issuetype: renderIssueType(issueTypes.find((type) => type.id === issue.issueTypeId)!, ctx),
    ...(parent ? { parent: issueLink(parent, ctx) } : {}),
    timespent: null,
    project: renderProject(store.projects.get(issue.projectId)!, ctx),
    fixVersions: [],
    resolution:
      issue.resolutionId === null
        ? null
        : { self: `${api(ctx)}/resolution/${doneResolution.id}`, id: doneResolution.id, description: doneResolution.description, name: doneResolution.name },
    resolutiondate: date(issue.resolutiondate),
    workratio: -1,
    watches: { self: `${api(ctx)}/issue/${issue.key}/watchers`, watchCount: 0, isWatching: false },
    lastViewed: null,
    created: date(issue.created),
    priority: renderPriority(priorities.find((priority) => priority.id === issue.priorityId)!, ctx),
    labels: [...issue.labels],
    versions: [],
    issuelinks: [],
    assignee: renderUser(issue.assigneeId === null ? undefined : store.users.get(issue.assigneeId), ctx),
    updated: date(issue.updated),
    status: renderStatus(statusById(issue.statusId)!, ctx),
    components: [],
    description: issue.description === null ? null : renderRichText(issue.description, ctx.apiVersion),
    summary: issue.summary,
    creator: renderUser(store.users.get(issue.creatorId), ctx),
    subtasks: subtasks.map((subtask) => issueLink(subtask, ctx)),
    reporter: renderUser(store.users.get(issue.reporterId), ctx),
    environment: null,
    duedate: issue.duedate,
    votes: { self: `${api(ctx)}/issue/${issue.key}/votes`, votes: 0, hasVoted: false },
    comment: {
      comments: issue.comments.map((comment) => renderComment(comment, issue, ctx)),
      self: `${api(ctx)}/issue/${issue.id}/comment`,
      maxResults: issue.comments.length,
      total: issue.comments.length,
      startAt: 0,
    },
    ...structuredClone(issue.custom),
  };
}

/** Reads Jira's `fields` selector: `*all`, `*navigable`, names, and `-name` exclusions. */
function selectFields(all: Json, selector: string[], fallback: string): Json {
  const tokens = selector.map((token) => token.trim()).filter(Boolean);
  const positive = tokens.filter((token) => !token.startsWith('-'));
  const chosen = new Set<string>();
  for (const token of positive.length > 0 ? positive : [fallback]) {
    if (token === '*all') Object.keys(all).forEach((key) => chosen.add(key));
    else if (token === '*navigable') Object.keys(all).filter((key) => !nonNavigable.has(key)).forEach((key) => chosen.add(key));
    else chosen.add(token);
  }
  for (const token of tokens) if (token.startsWith('-')) chosen.delete(token.slice(1));
  return Object.fromEntries(Object.entries(all).filter(([key]) => chosen.has(key)));
}

export interface IssueRenderOptions {
  fields?: string[];
  defaultFields: '*all' | '*navigable';
  expand?: string[];
  properties?: string[];
}

export function toList(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => String(item).split(','));
  if (typeof value === 'string') return value.split(',');
  return [];
}

export function renderIssue(issue: StoredIssue, ctx: RenderContext, options: IssueRenderOptions): Json {
  const expand = new Set((options.expand ?? []).map((item) => item.trim()));
  const all = allFields(issue, ctx);
  const body: Json = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${api(ctx)}/issue/${issue.id}`,
    key: issue.key,
  };
  const wantedProperties = (options.properties ?? []).map((item) => item.trim()).filter(Boolean);
  if (wantedProperties.length > 0) {
    const everything = wantedProperties.includes('*all');
    body.properties = Object.fromEntries(
      [...issue.properties].filter(([key]) => everything || wantedProperties.includes(key)).map(([key, value]) => [key, structuredClone(value)]),
    );
  }
  if (expand.has('renderedFields')) {
    body.renderedFields = {
      description: issue.description === null ? null : `<p>${escapeHtml(issue.description.text).replace(/\n/g, '<br/>')}</p>`,
      created: 'just now',
      updated: 'just now',
    };
  }
  if (expand.has('names')) {
    body.names = Object.fromEntries(Object.keys(all).map((key) => [key, key.charAt(0).toUpperCase() + key.slice(1)]));
  }
  if (expand.has('transitions')) {
    body.transitions = availableTransitions(issue).map((transition) => renderTransition(transition, ctx, false));
  }
  body.fields = selectFields(all, options.fields ?? [], options.defaultFields);
  if (expand.has('changelog')) {
    const histories = [...issue.changelog].reverse().map((history) => ({
      id: history.id,
      author: renderUser(ctx.store.users.get(history.authorId), ctx),
      created: formatJiraDateTime(history.created, ctx.timeZone),
      items: history.items.map((item) => ({ ...item })),
    }));
    body.changelog = { startAt: 0, maxResults: histories.length, total: histories.length, histories };
  }
  return body;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
