/**
 * The one error a route throws. Its body is Jira's error collection,
 * `{ errorMessages: [...], errors: { field: message } }`, unless a route needs another shape
 * (the 401 and OAuth answers are not error collections on the real service).
 */
export class JiraError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    {
      errorMessages = [],
      errors = {},
      body,
      headers = {},
    }: { errorMessages?: string[]; errors?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
    this.name = 'JiraError';
    this.status = status;
    this.body = body ?? { errorMessages, errors };
    this.headers = headers;
  }
}

export function issueNotFound(): JiraError {
  return new JiraError(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'] });
}

export function fieldErrors(errors: Record<string, string>): JiraError {
  return new JiraError(400, { errors });
}
