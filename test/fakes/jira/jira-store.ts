import type { RichText } from './adf.ts';
import {
  categoryOf,
  defaultPriorityId,
  doneResolution,
  initialStatusId,
  priorities,
  statusById,
  type TransitionDef,
} from './workflow.ts';

export interface FakeUser {
  accountId: string;
  emailAddress: string;
  displayName: string;
  timeZone: string;
  active: boolean;
  locale: string;
}

export interface FakeProject {
  id: string;
  key: string;
  name: string;
  leadAccountId: string;
}

export interface StoredComment {
  id: string;
  authorId: string;
  updateAuthorId: string;
  body: RichText;
  created: number;
  updated: number;
}

/** One row of a changelog, in the shape Jira uses in both `expand=changelog` and webhooks. */
export interface ChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface ChangeHistory {
  id: string;
  authorId: string;
  created: number;
  items: ChangeItem[];
}

/** The fields a create, an edit or a transition may set; `undefined` leaves a field alone. */
export interface IssuePatch {
  summary?: string;
  description?: RichText | null;
  duedate?: string | null;
  labels?: string[];
  assigneeId?: string | null;
  reporterId?: string;
  priorityId?: string;
  parentId?: string | null;
  /** `customfield_NNNNN` values; null clears one. */
  custom?: Record<string, unknown>;
}

export interface StoredIssue {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  creatorId: string;
  summary: string;
  description: RichText | null;
  duedate: string | null;
  labels: string[];
  assigneeId: string | null;
  reporterId: string;
  priorityId: string;
  statusId: string;
  resolutionId: string | null;
  resolutiondate: number | null;
  statusCategoryChangedAt: number;
  parentId: string | null;
  custom: Record<string, unknown>;
  created: number;
  updated: number;
  properties: Map<string, unknown>;
  comments: StoredComment[];
  changelog: ChangeHistory[];
}

export type IssueEventType = 'issue_updated' | 'issue_generic' | 'issue_assigned' | 'issue_commented';

export type StoreEvent =
  | { kind: 'issue_created'; issue: StoredIssue; actorId: string; at: number }
  | { kind: 'issue_updated'; issue: StoredIssue; actorId: string; at: number; history: ChangeHistory; eventType: IssueEventType }
  | { kind: 'issue_deleted'; issue: StoredIssue; actorId: string; at: number }
  | { kind: 'comment_created' | 'comment_updated' | 'comment_deleted'; issue: StoredIssue; comment: StoredComment; actorId: string; at: number };

interface Revision {
  at: number;
  snapshot: StoredIssue;
}

export interface JiraStoreOptions {
  projects: FakeProject[];
  users: FakeUser[];
  now: () => number;
  /** Search sees an issue's state only this long after the change, as Jira Cloud's search index does. */
  indexLagMs: number;
  onEvent: (event: StoreEvent) => void;
}

/** All mutable state of the emulated site, and the only place that changes it. */
export class JiraStore {
  readonly users = new Map<string, FakeUser>();
  readonly projects = new Map<string, FakeProject>();
  readonly issues = new Map<string, StoredIssue>();
  private readonly revisions = new Map<string, Revision[]>();
  private readonly issueCounters = new Map<string, number>();
  private nextIssueId = 10000;
  private nextCommentId = 10000;
  private nextHistoryId = 10000;
  private readonly options: JiraStoreOptions;

  constructor(options: JiraStoreOptions) {
    this.options = options;
    for (const user of options.users) this.users.set(user.accountId, user);
    for (const project of options.projects) this.projects.set(project.id, project);
  }

  now(): number {
    return this.options.now();
  }

  findIssue(idOrKey: string): StoredIssue | undefined {
    if (/^\d+$/.test(idOrKey)) return this.issues.get(idOrKey);
    const wanted = idOrKey.toUpperCase();
    for (const issue of this.issues.values()) if (issue.key === wanted) return issue;
    return undefined;
  }

  findProject(keyOrIdOrName: string): FakeProject | undefined {
    const wanted = keyOrIdOrName.toLowerCase();
    for (const project of this.projects.values()) {
      if (project.id === keyOrIdOrName || project.key.toLowerCase() === wanted || project.name.toLowerCase() === wanted) return project;
    }
    return undefined;
  }

  createIssue(
    input: { projectId: string; issueTypeId: string; patch: IssuePatch; properties?: [string, unknown][] },
    actorId: string,
  ): StoredIssue {
    const project = this.projects.get(input.projectId)!;
    const number = (this.issueCounters.get(project.id) ?? 0) + 1;
    this.issueCounters.set(project.id, number);
    const at = this.now();
    const issue: StoredIssue = {
      id: String(this.nextIssueId++),
      key: `${project.key}-${number}`,
      projectId: project.id,
      issueTypeId: input.issueTypeId,
      creatorId: actorId,
      summary: input.patch.summary ?? '',
      description: input.patch.description ?? null,
      duedate: input.patch.duedate ?? null,
      labels: input.patch.labels ?? [],
      assigneeId: input.patch.assigneeId ?? null,
      reporterId: input.patch.reporterId ?? actorId,
      priorityId: input.patch.priorityId ?? defaultPriorityId,
      statusId: initialStatusId,
      resolutionId: null,
      resolutiondate: null,
      statusCategoryChangedAt: at,
      parentId: input.patch.parentId ?? null,
      custom: Object.fromEntries(Object.entries(input.patch.custom ?? {}).filter(([, value]) => value !== null)),
      created: at,
      updated: at,
      properties: new Map(input.properties ?? []),
      comments: [],
      changelog: [],
    };
    this.issues.set(issue.id, issue);
    this.remember(issue, at);
    this.options.onEvent({ kind: 'issue_created', issue, actorId, at });
    return issue;
  }

  /** Applies a patch; returns the recorded history, or undefined when nothing changed. */
  updateIssue(issue: StoredIssue, patch: IssuePatch, actorId: string): ChangeHistory | undefined {
    const items = this.applyPatch(issue, patch);
    if (items.length === 0) return undefined;
    const eventType: IssueEventType = items.every((item) => item.fieldId === 'assignee') ? 'issue_assigned' : 'issue_updated';
    return this.record(issue, items, actorId, eventType);
  }

  transitionIssue(issue: StoredIssue, transition: TransitionDef, patch: IssuePatch, actorId: string): ChangeHistory {
    const items = this.applyPatch(issue, patch);
    const from = statusById(issue.statusId)!;
    const to = statusById(transition.to)!;
    const at = this.now();
    if (to.categoryKey === 'done' && issue.resolutionId === null) {
      items.push(item('resolution', null, null, doneResolution.id, doneResolution.name));
      issue.resolutionId = doneResolution.id;
      issue.resolutiondate = at;
    } else if (to.categoryKey !== 'done' && issue.resolutionId !== null) {
      items.push(item('resolution', issue.resolutionId, doneResolution.name, null, null));
      issue.resolutionId = null;
      issue.resolutiondate = null;
    }
    items.push(item('status', from.id, from.name, to.id, to.name));
    if (categoryOf(from).key !== categoryOf(to).key) issue.statusCategoryChangedAt = at;
    issue.statusId = to.id;
    return this.record(issue, items, actorId, 'issue_generic');
  }

  deleteIssue(issue: StoredIssue, actorId: string): void {
    this.issues.delete(issue.id);
    this.revisions.delete(issue.id);
    this.options.onEvent({ kind: 'issue_deleted', issue, actorId, at: this.now() });
  }

  addComment(issue: StoredIssue, body: RichText, authorId: string): StoredComment {
    const at = this.now();
    const comment: StoredComment = { id: String(this.nextCommentId++), authorId, updateAuthorId: authorId, body, created: at, updated: at };
    issue.comments.push(comment);
    // Jira bumps the issue's `updated` on a new comment, so `updated >=` polling sees it.
    issue.updated = at;
    this.remember(issue, at);
    this.options.onEvent({ kind: 'comment_created', issue, comment, actorId: authorId, at });
    return comment;
  }

  updateComment(issue: StoredIssue, comment: StoredComment, body: RichText, actorId: string): void {
    const at = this.now();
    comment.body = body;
    comment.updated = at;
    comment.updateAuthorId = actorId;
    issue.updated = at;
    this.remember(issue, at);
    this.options.onEvent({ kind: 'comment_updated', issue, comment, actorId, at });
  }

  deleteComment(issue: StoredIssue, comment: StoredComment, actorId: string): void {
    issue.comments = issue.comments.filter((candidate) => candidate !== comment);
    const at = this.now();
    issue.updated = at;
    this.remember(issue, at);
    this.options.onEvent({ kind: 'comment_deleted', issue, comment, actorId, at });
  }

  /** Entity properties do not touch `updated` or the changelog in Jira. */
  setProperty(issue: StoredIssue, key: string, value: unknown): 'created' | 'updated' {
    const existed = issue.properties.has(key);
    issue.properties.set(key, value);
    this.remember(issue, this.now());
    return existed ? 'updated' : 'created';
  }

  deleteProperty(issue: StoredIssue, key: string): boolean {
    const existed = issue.properties.delete(key);
    if (existed) this.remember(issue, this.now());
    return existed;
  }

  /**
   * What search can see now: each issue as it was `indexLagMs` ago, and nothing created since.
   * `reconcileIds` are read live, as Jira's `reconcileIssues` parameter asks.
   */
  searchable(reconcileIds: ReadonlySet<string> = new Set()): StoredIssue[] {
    const lag = this.options.indexLagMs;
    if (lag <= 0) return [...this.issues.values()];
    const horizon = this.now() - lag;
    const visible: StoredIssue[] = [];
    for (const issue of this.issues.values()) {
      if (reconcileIds.has(issue.id)) {
        visible.push(issue);
        continue;
      }
      const history = this.revisions.get(issue.id) ?? [];
      const indexed = history.filter((revision) => revision.at <= horizon).at(-1);
      if (indexed) visible.push(indexed.snapshot);
    }
    return visible;
  }

  private remember(issue: StoredIssue, at: number): void {
    if (this.options.indexLagMs <= 0) return;
    const history = this.revisions.get(issue.id) ?? [];
    history.push({ at, snapshot: structuredClone(issue) });
    this.revisions.set(issue.id, history);
  }

  private record(issue: StoredIssue, items: ChangeItem[], actorId: string, eventType: IssueEventType): ChangeHistory {
    const at = this.now();
    const history: ChangeHistory = { id: String(this.nextHistoryId++), authorId: actorId, created: at, items };
    issue.changelog.push(history);
    issue.updated = at;
    this.remember(issue, at);
    this.options.onEvent({ kind: 'issue_updated', issue, actorId, at, history, eventType });
    return history;
  }

  private applyPatch(issue: StoredIssue, patch: IssuePatch): ChangeItem[] {
    const items: ChangeItem[] = [];
    if (patch.summary !== undefined && patch.summary !== issue.summary) {
      items.push(item('summary', null, issue.summary, null, patch.summary));
      issue.summary = patch.summary;
    }
    if (patch.description !== undefined && (patch.description?.text ?? null) !== (issue.description?.text ?? null)) {
      items.push(item('description', null, issue.description?.text ?? null, null, patch.description?.text ?? null));
      issue.description = patch.description;
    } else if (patch.description !== undefined) {
      // Same text, possibly richer ADF: keep the newer document without a changelog row.
      issue.description = patch.description;
    }
    if (patch.duedate !== undefined && patch.duedate !== issue.duedate) {
      const show = (date: string | null) => (date === null ? null : `${date} 00:00:00.0`);
      items.push(item('duedate', issue.duedate, show(issue.duedate), patch.duedate, show(patch.duedate)));
      issue.duedate = patch.duedate;
    }
    if (patch.labels !== undefined && patch.labels.join(' ') !== issue.labels.join(' ')) {
      const show = (labels: string[]) => (labels.length === 0 ? '' : labels.join(' '));
      items.push(item('labels', null, show(issue.labels), null, show(patch.labels)));
      issue.labels = patch.labels;
    }
    if (patch.assigneeId !== undefined && patch.assigneeId !== issue.assigneeId) {
      items.push(item('assignee', issue.assigneeId, this.nameOf(issue.assigneeId), patch.assigneeId, this.nameOf(patch.assigneeId)));
      issue.assigneeId = patch.assigneeId;
    }
    if (patch.reporterId !== undefined && patch.reporterId !== issue.reporterId) {
      items.push(item('reporter', issue.reporterId, this.nameOf(issue.reporterId), patch.reporterId, this.nameOf(patch.reporterId)));
      issue.reporterId = patch.reporterId;
    }
    if (patch.priorityId !== undefined && patch.priorityId !== issue.priorityId) {
      const name = (id: string) => priorities.find((priority) => priority.id === id)?.name ?? null;
      items.push(item('priority', issue.priorityId, name(issue.priorityId), patch.priorityId, name(patch.priorityId)));
      issue.priorityId = patch.priorityId;
    }
    if (patch.parentId !== undefined && patch.parentId !== issue.parentId) {
      const keyOf = (id: string | null) => (id === null ? null : (this.issues.get(id)?.key ?? null));
      items.push({ ...item('IssueParentAssociation', issue.parentId, keyOf(issue.parentId), patch.parentId, keyOf(patch.parentId)), fieldId: 'parent' });
      issue.parentId = patch.parentId;
    }
    for (const [fieldId, value] of Object.entries(patch.custom ?? {})) {
      const before = issue.custom[fieldId] ?? null;
      if (JSON.stringify(before) === JSON.stringify(value)) continue;
      items.push({ ...item(fieldId, null, displayCustom(before), null, displayCustom(value)), fieldtype: 'custom' });
      if (value === null) delete issue.custom[fieldId];
      else issue.custom[fieldId] = value;
    }
    return items;
  }

  private nameOf(accountId: string | null): string | null {
    if (accountId === null) return null;
    return this.users.get(accountId)?.displayName ?? null;
  }
}

function item(field: string, from: string | null, fromString: string | null, to: string | null, toString: string | null): ChangeItem {
  return { field, fieldtype: 'jira', fieldId: field, from, fromString, to, toString };
}

function displayCustom(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && value !== null && 'value' in value) return String((value as { value: unknown }).value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
