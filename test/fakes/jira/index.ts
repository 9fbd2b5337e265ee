export { startJiraFake } from './start-jira-fake.ts';
export type { FakeUserInput, JiraFake, JiraFakeOptions, SimulatedEdit } from './start-jira-fake.ts';
export type { FaultSpec } from './fault-plan.ts';
export type { IssueTokenOptions, OAuthClient, TokenGrant } from './auth-registry.ts';
export type { RecordedRequest } from './fake-context.ts';
export type { RegisteredWebhook, WebhookDelivery, WebhookRegistration, WebhookRetryPolicy } from './webhook-dispatcher.ts';
export type { FakeUser } from './jira-store.ts';
