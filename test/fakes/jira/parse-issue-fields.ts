import { isAdfDoc, richTextFromAdf, richTextFromString, type RichText } from './adf.ts';
import { isJiraDate } from './jira-time.ts';
import type { IssuePatch, JiraStore, StoredIssue } from './jira-store.ts';
import { issueTypes, priorities } from './workflow.ts';

/** `any` accepts both shapes: for test helpers that simulate a person typing in Jira's UI. */
export type RichTextDialect = '2' | '3' | 'any';

export interface ParsedIssueInput {
  patch: IssuePatch;
  projectId?: string;
  issueTypeId?: string;
  /** Comments added through `update.comment[].add`, which Jira allows on edit and transition. */
  comments: RichText[];
  errors: Record<string, string>;
}

type Mode = 'create' | 'edit' | 'transition';

const cannotSet = (field: string) => `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Reads a description or comment body the way the given REST version insists on. */
export function parseRichText(value: unknown, dialect: RichTextDialect): RichText | null | string {
  if (value === null) return null;
  if (typeof value === 'string' && dialect !== '3') return richTextFromString(value);
  if (isAdfDoc(value) && dialect !== '2') return richTextFromAdf(value);
  return dialect === '3' ? 'Operation value must be an Atlassian Document' : 'Operation value must be a string';
}

function parseUser(value: unknown, store: JiraStore): string | null | { error: string } {
  if (value === null) return null;
  const object = asObject(value);
  if (!object) return { error: 'Specified user does not exist or you do not have required permissions' };
  if ('name' in object || 'key' in object) {
    return { error: "'accountId' must be the only user identifying query parameter in GDPR strict mode." };
  }
  const accountId = object.accountId ?? object.id;
  if (accountId === null || accountId === '-1') return null;
  if (typeof accountId !== 'string' || !store.users.has(accountId)) {
    return { error: 'Specified user does not exist or you do not have required permissions' };
  }
  return accountId;
}

function setField(
  field: string,
  value: unknown,
  result: ParsedIssueInput,
  store: JiraStore,
  dialect: RichTextDialect,
  mode: Mode,
): void {
  const { patch, errors } = result;
  switch (field) {
    case 'project': {
      if (mode !== 'create') return void (errors.project = cannotSet('project'));
      const ref = asObject(value);
      const wanted = typeof ref?.key === 'string' ? ref.key : typeof ref?.id === 'string' ? ref.id : undefined;
      const project = wanted === undefined ? undefined : store.findProject(wanted);
      if (!project) return void (errors.project = 'Specify a valid project ID or key');
      result.projectId = project.id;
      return;
    }
    case 'issuetype': {
      if (mode !== 'create') return void (errors.issuetype = cannotSet('issuetype'));
      const ref = asObject(value);
      const type = issueTypes.find((candidate) => candidate.id === ref?.id || candidate.name === ref?.name);
      if (!type) return void (errors.issuetype = 'The issue type selected is invalid.');
      result.issueTypeId = type.id;
      return;
    }
    case 'summary': {
      if (typeof value !== 'string' || value.trim() === '') return void (errors.summary = 'You must specify a summary of the issue.');
      if (/[\r\n]/.test(value)) return void (errors.summary = 'The summary is invalid because it contains newline characters.');
      if (value.length > 255) return void (errors.summary = 'Summary must be less than 255 characters.');
      patch.summary = value;
      return;
    }
    case 'description': {
      const parsed = parseRichText(value, dialect);
      if (typeof parsed === 'string') return void (errors.description = parsed);
      patch.description = parsed;
      return;
    }
    case 'duedate': {
      if (value === null || value === '') return void (patch.duedate = null);
      if (typeof value !== 'string' || !isJiraDate(value)) return void (errors.duedate = `Error parsing date string: ${String(value)}`);
      patch.duedate = value;
      return;
    }
    case 'labels': {
      if (!Array.isArray(value) || value.some((label) => typeof label !== 'string')) {
        return void (errors.labels = 'data was not an array');
      }
      const bad = (value as string[]).find((label) => /\s/.test(label) || label === '' || label.length > 255);
      if (bad !== undefined) return void (errors.labels = `The label '${bad}' contains spaces which is invalid.`);
      patch.labels = [...new Set(value as string[])];
      return;
    }
    case 'assignee':
    case 'reporter': {
      const parsed = parseUser(value, store);
      if (typeof parsed === 'object' && parsed !== null) return void (errors[field] = parsed.error);
      if (field === 'assignee') patch.assigneeId = parsed;
      else if (parsed === null) errors.reporter = 'Reporter is required.';
      else patch.reporterId = parsed;
      return;
    }
    case 'priority': {
      const ref = asObject(value);
      const priority = priorities.find((candidate) => candidate.id === ref?.id || candidate.name === ref?.name);
      if (!priority) return void (errors.priority = 'The priority selected is invalid.');
      patch.priorityId = priority.id;
      return;
    }
    case 'parent': {
      if (value === null) return void (patch.parentId = null);
      const ref = asObject(value);
      const wanted = typeof ref?.key === 'string' ? ref.key : typeof ref?.id === 'string' ? ref.id : undefined;
      const parent = wanted === undefined ? undefined : store.findIssue(wanted);
      if (!parent) return void (errors.parent = 'Could not find issue by id or key.');
      patch.parentId = parent.id;
      return;
    }
    default: {
      if (/^customfield_\d+$/.test(field)) {
        patch.custom = { ...patch.custom, [field]: value };
        return;
      }
      errors[field] = cannotSet(field);
    }
  }
}

function currentValue(field: string, issue: StoredIssue | undefined, patch: IssuePatch): string[] {
  if (field !== 'labels') return [];
  return patch.labels ?? issue?.labels ?? [];
}

/**
 * Reads a create, edit or transition body (`fields`, `update`) into one patch, collecting
 * field errors the way Jira reports them, all at once.
 */
export function parseIssueInput(
  body: { fields?: unknown; update?: unknown },
  { store, dialect, mode, issue }: { store: JiraStore; dialect: RichTextDialect; mode: Mode; issue?: StoredIssue },
): ParsedIssueInput {
  const result: ParsedIssueInput = { patch: {}, comments: [], errors: {} };
  const fields = asObject(body.fields) ?? {};
  for (const [field, value] of Object.entries(fields)) setField(field, value, result, store, dialect, mode);

  const update = asObject(body.update) ?? {};
  for (const [field, operations] of Object.entries(update)) {
    if (!Array.isArray(operations)) {
      result.errors[field] = 'Operations must be an array.';
      continue;
    }
    for (const raw of operations) {
      const operation = asObject(raw) ?? {};
      if (field === 'comment' && mode !== 'create') {
        const parsed = parseRichText(asObject(operation.add)?.body ?? null, dialect);
        if (parsed === null || typeof parsed === 'string') result.errors.comment = 'Comment body can not be empty!';
        else result.comments.push(parsed);
      } else if ('set' in operation) {
        setField(field, operation.set, result, store, dialect, mode);
      } else if (field === 'labels' && ('add' in operation || 'remove' in operation)) {
        const labels = currentValue(field, issue, result.patch);
        const next = 'add' in operation ? [...labels, String(operation.add)] : labels.filter((label) => label !== operation.remove);
        setField('labels', next, result, store, dialect, mode);
      } else {
        result.errors[field] = cannotSet(field);
      }
    }
  }

  if (mode === 'create') {
    if (!('project' in fields) && !result.errors.project) result.errors.project = 'Specify a valid project ID or key';
    if (!('issuetype' in fields) && !result.errors.issuetype) result.errors.issuetype = 'Specify an issue type';
    if (result.patch.summary === undefined && !result.errors.summary) result.errors.summary = 'You must specify a summary of the issue.';
    const type = issueTypes.find((candidate) => candidate.id === result.issueTypeId);
    if (type?.subtask && result.patch.parentId == null && !result.errors.parent) {
      result.errors.parent = 'Given parent work item does not belong to appropriate hierarchy.';
    }
  }
  return result;
}
