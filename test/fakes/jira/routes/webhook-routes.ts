import { Hono } from 'hono';
import { readJsonObject, type FakeDeps, type FakeEnv } from '../fake-context.ts';
import { JiraError } from '../jira-error.ts';
import type { RegisteredWebhook } from '../webhook-dispatcher.ts';

/** Admin webhooks (`/rest/webhooks/1.0/webhook`), which jira-client's registerWebhook() calls. */
export function webhookRoutes(deps: FakeDeps): Hono<FakeEnv> {
  const app = new Hono<FakeEnv>();
  const base = '/rest/webhooks/1.0/webhook';

  const render = (hook: RegisteredWebhook) => ({
    self: `${deps.siteUrl()}${base}/${hook.id}`,
    name: hook.name ?? `webhook-${hook.id}`,
    url: hook.url,
    excludeBody: hook.excludeBody ?? false,
    filters: { 'issue-related-events-section': hook.jqlFilter ?? '' },
    events: hook.events,
    enabled: hook.enabled,
  });

  app.get(base, (c) => c.json(deps.webhooks.list().map(render)));

  app.post(base, (c) => {
    const body = readJsonObject(c);
    const filters = body.filters as Record<string, unknown> | undefined;
    if (typeof body.url !== 'string' || !Array.isArray(body.events) || body.events.length === 0) {
      throw new JiraError(400, { errorMessages: ['A webhook needs a url and at least one event.'] });
    }
    let hook: RegisteredWebhook;
    try {
      hook = deps.webhooks.register({
        name: typeof body.name === 'string' ? body.name : undefined,
        url: body.url,
        events: body.events.map(String),
        jqlFilter: typeof filters?.['issue-related-events-section'] === 'string' ? filters['issue-related-events-section'] : undefined,
        excludeBody: body.excludeBody === true,
        secret: typeof body.secret === 'string' ? body.secret : undefined,
      });
    } catch (error) {
      throw new JiraError(400, { errorMessages: [error instanceof Error ? error.message : String(error)] });
    }
    return c.json(render(hook), 201);
  });

  app.get(`${base}/:id`, (c) => {
    const hook = deps.webhooks.get(Number(c.req.param('id')));
    if (!hook) throw new JiraError(404, { errorMessages: ['Webhook not found.'] });
    return c.json(render(hook));
  });

  app.delete(`${base}/:id`, (c) => {
    if (!deps.webhooks.remove(Number(c.req.param('id')))) throw new JiraError(404, { errorMessages: ['Webhook not found.'] });
    return c.body(null, 204);
  });

  return app;
}
