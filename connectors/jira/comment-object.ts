import type { ObjectType } from '../sdk/index.ts';

/** The `comment` object type: replies people write on issues, read for probe answers. */
export const commentObject: ObjectType = {
  description: 'Comments on issues, as listComments and webhooks report them; write them with addComment.',
  schema: {
    title: 'Jira comment',
    properties: {
      id: { type: 'string', readOnly: true },
      issueKey: { type: 'string', readOnly: true, description: 'The issue the comment is on.' },
      body: { type: 'string', description: 'Plain text; on API v3 converted from Atlassian Document Format.' },
      author: {
        type: 'object',
        readOnly: true,
        properties: {
          accountId: { type: 'string' },
          displayName: { type: 'string' },
          emailAddress: { type: 'string', description: 'Absent when the user hides it.' },
        },
      },
      created: { type: 'date', readOnly: true },
      updated: { type: 'date', readOnly: true },
    },
  },
  samples: [
    {
      id: '10107',
      issueKey: 'PAY-42',
      body: 'Done: the sandbox settlements match. Sharing the report tomorrow.',
      author: { accountId: '712020:2b0c6a9e-5d1f-4f3e-9c61-3f1f4d0a7b21', displayName: 'Asha Rao', emailAddress: 'asha@example.in' },
      created: '2026-11-21T15:45:30.000+0530',
      updated: '2026-11-21T15:45:30.000+0530',
    },
  ],
  operations: [],
};
