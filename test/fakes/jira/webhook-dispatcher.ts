import { createHmac, randomUUID } from 'node:crypto';
import type { StoredIssue } from './jira-store.ts';
import type { OutgoingEvent } from './webhook-payloads.ts';

export interface WebhookRegistration {
  /** May hold Jira's URL variables: `${issue.key}`, `${issue.id}`, `${project.key}`, `${project.id}`. */
  url: string;
  /** When set, each delivery carries `X-Hub-Signature: sha256=<hex HMAC of the raw body>`. */
  secret?: string;
  /** E.g. `jira:issue_created`, `jira:issue_updated`, `jira:issue_deleted`, `comment_created`. */
  events: string[];
  /** Only issues matching this JQL are sent, as Jira's webhook filter does. */
  jqlFilter?: string;
  name?: string;
  /** Jira's "Exclude body" option: the POST arrives empty. */
  excludeBody?: boolean;
}

export interface RegisteredWebhook extends WebhookRegistration {
  id: number;
  enabled: boolean;
}

export interface WebhookDelivery {
  webhookId: number;
  event: string;
  url: string;
  /** `X-Atlassian-Webhook-Identifier`: the same on every retry of one event. */
  identifier: string;
  /** 0 for the first try; retries also send `X-Atlassian-Webhook-Retry`. */
  retry: number;
  headers: Record<string, string>;
  body: string;
  status?: number;
  error?: string;
  ok: boolean;
  at: number;
}

export interface WebhookRetryPolicy {
  /** Jira Cloud retries a failed delivery up to five times. @default 5 */
  maxRetries?: number;
  /** First retry delay; each further retry doubles it. Kept tiny so tests stay fast. @default 10 */
  delayMs?: number;
  /** Per-attempt timeout. @default 5000 */
  timeoutMs?: number;
}

const retryable = (status: number) => status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;

/** Sends Jira-shaped webhook deliveries, signing, retrying and recording each attempt. */
export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly hooks = new Map<number, RegisteredWebhook>();
  private readonly pending = new Set<Promise<void>>();
  private nextId = 1;
  private readonly policy: Required<WebhookRetryPolicy>;
  private readonly matchesFilter: (jql: string, issue: StoredIssue) => boolean;
  private readonly projectKeyOf: (issue: StoredIssue) => string;

  constructor({
    retry = {},
    matchesFilter,
    projectKeyOf,
  }: {
    retry?: WebhookRetryPolicy;
    matchesFilter: (jql: string, issue: StoredIssue) => boolean;
    projectKeyOf: (issue: StoredIssue) => string;
  }) {
    this.policy = { maxRetries: retry.maxRetries ?? 5, delayMs: retry.delayMs ?? 10, timeoutMs: retry.timeoutMs ?? 5000 };
    this.matchesFilter = matchesFilter;
    this.projectKeyOf = projectKeyOf;
  }

  register(registration: WebhookRegistration): RegisteredWebhook {
    if (!/^https?:\/\//.test(registration.url)) throw new TypeError(`registerWebhook: url must be http(s), got ${registration.url}`);
    if (registration.events.length === 0) throw new TypeError('registerWebhook: events must not be empty');
    const hook: RegisteredWebhook = { ...registration, events: [...registration.events], id: this.nextId++, enabled: true };
    this.hooks.set(hook.id, hook);
    return hook;
  }

  get(id: number): RegisteredWebhook | undefined {
    return this.hooks.get(id);
  }

  list(): RegisteredWebhook[] {
    return [...this.hooks.values()];
  }

  remove(id: number): boolean {
    return this.hooks.delete(id);
  }

  dispatch(events: OutgoingEvent[]): void {
    for (const event of events) {
      for (const hook of this.hooks.values()) {
        if (!hook.enabled || !hook.events.includes(event.webhookEvent)) continue;
        if (hook.jqlFilter && !this.matchesFilter(hook.jqlFilter, event.issue)) continue;
        this.track(this.deliver(hook, event));
      }
    }
  }

  /** Resolves once every delivery, including retries, has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(promise: Promise<void>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  private async deliver(hook: RegisteredWebhook, event: OutgoingEvent): Promise<void> {
    const url = hook.url
      .replaceAll('${issue.key}', event.issue.key)
      .replaceAll('${issue.id}', event.issue.id)
      .replaceAll('${project.key}', this.projectKeyOf(event.issue))
      .replaceAll('${project.id}', event.issue.projectId);
    const body = hook.excludeBody ? '' : JSON.stringify(event.payload);
    const identifier = randomUUID();
    for (let retry = 0; retry <= this.policy.maxRetries; retry++) {
      if (retry > 0) await new Promise((resolve) => setTimeout(resolve, this.policy.delayMs * 2 ** (retry - 1)));
      const headers: Record<string, string> = {
        'Content-Type': 'application/json; charset=UTF-8',
        'User-Agent': 'Atlassian Webhook HTTP Client',
        'X-Atlassian-Webhook-Identifier': identifier,
      };
      if (retry > 0) headers['X-Atlassian-Webhook-Retry'] = String(retry);
      if (hook.secret) headers['X-Hub-Signature'] = `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}`;
      const delivery: WebhookDelivery = { webhookId: hook.id, event: event.webhookEvent, url, identifier, retry, headers, body, ok: false, at: Date.now() };
      this.deliveries.push(delivery);
      try {
        const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.policy.timeoutMs) });
        await response.arrayBuffer();
        delivery.status = response.status;
        delivery.ok = response.ok;
        if (response.ok || !retryable(response.status)) return;
      } catch (error) {
        delivery.error = error instanceof Error ? error.message : String(error);
      }
    }
  }
}
