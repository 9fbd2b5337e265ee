import { Hono } from 'hono';
import type { FakeDeps, FakeEnv } from './fake-context.ts';
import { JiraError } from './jira-error.ts';
import { commentRoutes } from './routes/comment-routes.ts';
import { issueRoutes } from './routes/issue-routes.ts';
import { metaRoutes } from './routes/meta-routes.ts';
import { oauthRoutes } from './routes/oauth-routes.ts';
import { searchRoutes } from './routes/search-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';

const gatewayPrefix = /^\/ex\/jira\/([^/]+)(\/.*)?$/;
const anonymous = [/^\/rest\/api\/(?:2|3|latest)\/serverInfo$/, /^\/oauth\/token$/];
const idempotencyHeaders = ['idempotency-key', 'x-idempotency-key', 'x-atlassian-idempotency-key'];

function parseBody(raw: string, contentType: string): unknown {
  if (raw === '') return undefined;
  if (contentType.includes('json')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * The whole emulated site. Every request is recorded, then may be delayed or failed on purpose,
 * then authenticated, then routed. The same routes answer on the site URL and on the OAuth
 * gateway form `/ex/jira/{cloudId}/...`.
 */
export function createJiraApp(deps: FakeDeps): Hono<FakeEnv> {
  const site = new Hono<FakeEnv>();
  site.route('/', metaRoutes(deps));
  site.route('/', issueRoutes(deps));
  site.route('/', commentRoutes(deps));
  site.route('/', searchRoutes(deps));
  site.route('/', webhookRoutes(deps));

  const app = new Hono<FakeEnv>();

  app.use('*', async (c, next) => {
    const raw = c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.text();
    c.set('rawBody', raw);
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name] = value;
    });
    deps.requests.push({
      method: c.req.method,
      path: c.req.path,
      query: c.req.query(),
      headers,
      body: parseBody(raw, headers['content-type'] ?? ''),
      at: Date.now(),
    });
    const idempotencyKey = idempotencyHeaders.map((name) => headers[name]).find(Boolean);
    // Jira has no idempotency keys: the header is kept for inspection and otherwise ignored.
    if (idempotencyKey) deps.idempotencyKeys.push({ key: idempotencyKey, method: c.req.method, path: c.req.path });

    if (deps.settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, deps.settings.latencyMs));

    const gateway = gatewayPrefix.exec(c.req.path);
    if (gateway && gateway[1] !== deps.cloudId) {
      return c.json({ errorMessages: ['Site not found'], errors: {} }, 404);
    }
    const sitePath = gateway ? (gateway[2] ?? '/') : c.req.path;
    const paths = [c.req.path, sitePath];

    const before = deps.faults.take(c.req.method, paths, 'before', deps.store.now());
    if (before) {
      if (before.dropConnection) {
        c.env.incoming.socket.destroy();
        return c.body(null, 500);
      }
      return c.json(before.body as object, before.status as 400, before.headers);
    }

    if (anonymous.some((pattern) => pattern.test(sitePath))) {
      c.set('viewer', deps.store.users.values().next().value!);
    } else {
      const result = deps.auth.authenticate(c.req.header('authorization'));
      if (!result.ok) {
        if (gateway) return c.json({ code: 401, message: 'Unauthorized' }, 401);
        const headers: Record<string, string> = result.scheme === 'basic' ? { 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' } : {};
        return c.json({ message: 'Client must be authenticated to access this resource.', 'status-code': 401 }, 401, headers);
      }
      const viewer = deps.store.users.get(result.accountId);
      if (!viewer || !viewer.active) return c.json({ message: 'Client must be authenticated to access this resource.', 'status-code': 401 }, 401);
      c.set('viewer', viewer);
    }

    await next();

    const after = deps.faults.take(c.req.method, paths, 'after', deps.store.now());
    if (after) {
      if (after.dropConnection) {
        c.env.incoming.socket.destroy();
        return;
      }
      c.res = new Response(JSON.stringify(after.body), {
        status: after.status,
        headers: { 'content-type': 'application/json;charset=UTF-8', ...after.headers },
      });
    }
  });

  app.route('/ex/jira/:cloudId', site);
  app.route('/', site);
  app.route('/', oauthRoutes(deps));

  app.notFound((c) => c.json({ errorMessages: [`null for uri: ${c.req.url}`], errors: {} }, 404));
  app.onError((error, c) => {
    if (error instanceof JiraError) {
      return c.json(error.body as object, error.status as 400, error.headers);
    }
    // A throw that is not a JiraError is a bug in the fake; say so loudly in the response.
    return c.json({ errorMessages: [`Jira fake internal error: ${error instanceof Error ? error.stack : String(error)}`], errors: {} }, 500);
  });
  return app;
}
