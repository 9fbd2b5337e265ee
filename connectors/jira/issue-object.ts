import { starterRemoteSchema, type FieldSchema, type ObjectSchema } from '../../mappings/index.ts';
import type { ObjectType } from '../sdk/index.ts';

function starterIssueSchema(): ObjectSchema {
  const schema = starterRemoteSchema('jira', 'issue');
  if (schema === undefined) throw new TypeError('jira: mappings/starters/schemas/jira-issue.yaml is missing; the issue object is built from it');
  return schema;
}

const starter = starterIssueSchema();
const starterFields = starter.properties.fields as FieldSchema;

/**
 * The issue's fields: the starter mappings' schema (`mappings/starters/schemas/jira-issue.yaml`),
 * so every shipped mapping validates against the connector, plus the entity property the
 * connector sets on the issues it creates.
 */
export const issueSchema: ObjectSchema = {
  title: 'Jira issue',
  description: 'An issue as GET /rest/api/{2|3}/issue/{key} returns it. Descriptions are plain text in both API versions.',
  properties: {
    ...starter.properties,
    fields: {
      ...starterFields,
      properties: {
        ...starterFields.properties,
        description: { type: 'string', description: 'Plain text; on API v3 the connector converts Atlassian Document Format to and from text.' },
      },
    },
    properties: {
      type: 'object',
      readOnly: true,
      description: 'Entity properties the connector reads back.',
      properties: {
        milestoneHub: {
          type: 'object',
          readOnly: true,
          description: 'Set when the hub created the issue.',
          properties: { hubId: { type: 'string' }, idempotencyKey: { type: 'string' } },
        },
      },
    },
  },
};

/** The `fields` a pull, a get or a write's answer asks for: every field the schema lists. */
export const ISSUE_FIELDS: readonly string[] = Object.keys(starterFields.properties ?? {});

const user = (accountId: string, displayName: string, emailAddress: string) => ({ accountId, displayName, emailAddress });

/** Issues as `pull` returns their `data`. */
export const issueSamples: readonly Record<string, unknown>[] = [
  {
    id: '10042',
    key: 'PAY-42',
    self: 'https://acme.atlassian.net/rest/api/3/issue/10042',
    properties: { milestoneHub: { hubId: 'ms_01JD8Q3Z6W', idempotencyKey: 'sync-out:ms_01JD8Q3Z6W:create' } },
    fields: {
      summary: 'Milestone 2: payment gateway integration',
      description: 'Razorpay checkout, webhooks and refunds.\n\nAcceptance: test payments settle in the sandbox.',
      duedate: '2026-12-15',
      labels: ['phase-2'],
      priority: { id: '2', name: 'High' },
      status: { id: '3', name: 'In Progress', statusCategory: { key: 'indeterminate', name: 'In Progress' } },
      resolution: null,
      assignee: user('712020:2b0c6a9e-5d1f-4f3e-9c61-3f1f4d0a7b21', 'Asha Rao', 'asha@example.in'),
      reporter: user('712020:8f7e1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f', 'Milestone Hub', 'hub-bot@example.in'),
      issuetype: { id: '10001', name: 'Task' },
      project: { id: '10000', key: 'PAY', name: 'Payments' },
      progress: { progress: 14400, total: 28800, percent: 50 },
      timeoriginalestimate: 28800,
      created: '2026-11-02T10:15:30.000+0530',
      updated: '2026-11-21T15:45:30.000+0530',
      resolutiondate: null,
    },
  },
  {
    id: '10043',
    key: 'PAY-43',
    self: 'https://acme.atlassian.net/rest/api/3/issue/10043',
    properties: {},
    fields: {
      summary: 'Milestone 3: go-live and handover',
      description: null,
      duedate: '2027-01-31',
      labels: [],
      priority: { id: '3', name: 'Medium' },
      status: { id: '10001', name: 'Done', statusCategory: { key: 'done', name: 'Done' } },
      resolution: { name: 'Done' },
      assignee: null,
      reporter: user('712020:2b0c6a9e-5d1f-4f3e-9c61-3f1f4d0a7b21', 'Asha Rao', 'asha@example.in'),
      issuetype: { id: '10001', name: 'Task' },
      project: { id: '10000', key: 'PAY', name: 'Payments' },
      created: '2026-11-05T09:00:00.000+0530',
      updated: '2027-01-28T18:20:05.000+0530',
      resolutiondate: '2027-01-28T18:20:05.000+0530',
    },
  },
];

/** The `issue` object type. */
export const issueObject: ObjectType = {
  description: 'Jira issues of the configured project; status moves through workflow transitions.',
  schema: issueSchema,
  samples: issueSamples,
};
