import type { ConnectorContext } from '../sdk/index.ts';
import type { JiraConfig, JiraCredentials } from './jira-settings.ts';

/** The context every Jira operation runs in. */
export type JiraContext = ConnectorContext<JiraConfig, JiraCredentials>;
