import { adfToText, isAdfDoc, textToAdf } from './adf-text.ts';
import type { JiraConfig } from './jira-settings.ts';

type Json = Record<string, unknown>;

/** What a mapped record asks Jira to do: field values, update verbs, and a status to move to. */
export interface IssueInput {
  fields: Json;
  /** Jira's `update` verbs (`labels: [{ add }]`), passed through. */
  update?: Json;
  /** Entity properties to set on create, `[{ key, value }]`. */
  properties?: { key: string; value: unknown }[];
  /** The status the record asks for; reached through a transition, never an edit. */
  status?: string;
}

// Jira computes these, or changes them only through their own endpoints (transitions, worklogs, comments).
const COMPUTED = new Set([
  'status',
  'resolution',
  'resolutiondate',
  'created',
  'updated',
  'creator',
  'progress',
  'aggregateprogress',
  'statuscategorychangedate',
  'lastViewed',
  'votes',
  'watches',
  'workratio',
  'subtasks',
  'comment',
  'worklog',
  'attachment',
  'issuelinks',
  'timespent',
  'aggregatetimespent',
  'timeestimate',
  'aggregatetimeestimate',
  'aggregatetimeoriginalestimate',
]);
const CREATE_ONLY = new Set(['project', 'issuetype']);
const USER_FIELDS = new Set(['assignee', 'reporter']);

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Turns a mapped record (the issue's REST shape: `{ fields: { summary, ... } }`) into a create or
 * edit body: computed fields are dropped, the status is set aside for a transition, users are
 * sent by accountId only (Jira Cloud refuses anything else), descriptions are converted to the
 * configured API version's rich text, and an original estimate in seconds becomes `timetracking`.
 * On create the project always comes from the config; the issue type unless the record names one.
 */
export function issueInput(data: Json, config: JiraConfig, mode: 'create' | 'edit'): IssueInput {
  const source = isObject(data.fields) ? data.fields : {};
  const fields: Json = {};
  let status: string | undefined;
  for (const [name, value] of Object.entries(source)) {
    if (name === 'status') {
      status = typeof value === 'string' ? value : isObject(value) && typeof value.name === 'string' ? value.name : undefined;
      continue;
    }
    if (COMPUTED.has(name) || (mode === 'edit' && CREATE_ONLY.has(name))) continue;
    if (USER_FIELDS.has(name)) {
      fields[name] = isObject(value) ? (typeof value.accountId === 'string' ? { accountId: value.accountId } : null) : value;
      continue;
    }
    if (name === 'description' || name === 'environment') {
      fields[name] = richText(value, config.apiVersion);
      continue;
    }
    if (name === 'timeoriginalestimate') {
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
        const timetracking = isObject(fields.timetracking) ? fields.timetracking : {};
        fields.timetracking = { ...timetracking, originalEstimate: `${Math.round(value / 60)}m` };
      }
      continue;
    }
    fields[name] = value;
  }
  if (mode === 'create') {
    fields.project = { key: config.projectKey };
    if (!isObject(fields.issuetype)) fields.issuetype = { name: config.issueType };
  }
  const properties = Array.isArray(data.properties)
    ? data.properties.filter((p): p is { key: string; value: unknown } => isObject(p) && typeof p.key === 'string' && p.key !== '')
    : undefined;
  return {
    fields,
    ...(isObject(data.update) ? { update: data.update } : {}),
    ...(properties === undefined || properties.length === 0 ? {} : { properties }),
    ...(status === undefined || status.trim() === '' ? {} : { status: status.trim() }),
  };
}

function richText(value: unknown, apiVersion: '2' | '3'): unknown {
  if (apiVersion === '3' && typeof value === 'string') return textToAdf(value);
  if (apiVersion === '2' && isAdfDoc(value)) return adfToText(value);
  return value;
}
