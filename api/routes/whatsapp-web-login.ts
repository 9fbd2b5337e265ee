import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { linkableWhatsAppWebConnection, localWhatsAppWebLinks, type WhatsAppWebLinkProblem, type WhatsAppWebLinkResult, type WhatsAppWebLinks } from '../../queues/notify/index.ts';
import type { AppEnv, Services } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, problemResponses } from '../openapi/index.ts';
import type { Context } from 'hono';

const tags = ['connections'];

const LoginSchema = z
  .object({
    state: z.enum(['stopped', 'starting', 'qr', 'authenticated', 'ready', 'auth_failed', 'disconnected']),
    qr: z.string().optional().openapi({ description: 'The QR payload to render and scan while state is qr; it changes about every 20 s' }),
    pairingCode: z.string().optional().openapi({ description: 'Type this on the phone: WhatsApp → Linked devices → Link with phone number' }),
    phone: z.string().optional(),
    since: z.string(),
    detail: z.string().optional(),
  })
  .openapi('WhatsAppWebLogin');

const login = createRoute({
  method: 'get',
  path: '/v1/connections/{id}/whatsapp-web/login',
  tags,
  summary: "A WhatsApp Web connection's link: the QR code or pairing code to use, or the linked number. Starts the session when it is not running (admin)",
  security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The link', content: { 'application/json': { schema: LoginSchema } } }, ...problemResponses(401, 403, 404, 409, 503) },
});

const pairing = createRoute({
  method: 'post',
  path: '/v1/connections/{id}/whatsapp-web/pairing-code',
  tags,
  summary: 'Ask for a pairing code to link by typing it on the phone instead of scanning (admin)',
  security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: {
    params: IdParam,
    body: { required: false, content: { 'application/json': { schema: z.object({ phone: z.string().min(8).max(30).optional() }).strict() } } },
  },
  responses: { 200: { description: 'The link with its pairing code', content: { 'application/json': { schema: LoginSchema } } }, ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
});

/** How this process reaches WhatsApp Web: its own sessions, or those of the process that runs them, over Redis; undefined when neither. */
export function whatsAppWebLinksOf(services: Pick<Services, 'whatsappWeb' | 'whatsappWebLinks' | 'store'>): WhatsAppWebLinks | undefined {
  return services.whatsappWeb ? localWhatsAppWebLinks({ sessions: services.whatsappWeb, store: services.store }) : services.whatsappWebLinks;
}

/** The links to ask for the connection's link, once it is one of the tenant's active WhatsApp Web connections. */
async function linksFor(c: Context<AppEnv>, id: string): Promise<{ links: WhatsAppWebLinks; phoneNumber?: string }> {
  const checked = await linkableWhatsAppWebConnection(c.get('db'), id);
  if (!checked.ok) throw problem(checked.problem);
  const links = whatsAppWebLinksOf(c.get('services'));
  if (links === undefined) throw new ApiError('service_unavailable', { detail: 'This process runs no WhatsApp Web sessions; ask the process that runs the workers (hub start or hub worker)' });
  return { links, ...(checked.phoneNumber ? { phoneNumber: checked.phoneNumber } : {}) };
}

/** The API error of a WhatsApp Web link problem, with its errors when it has some. */
export const problem = (p: WhatsAppWebLinkProblem): ApiError => new ApiError(p.code, { detail: p.detail, ...(p.errors ? { errors: p.errors } : {}) });

function out(result: WhatsAppWebLinkResult): z.infer<typeof LoginSchema> {
  if (!result.ok) throw problem(result.problem);
  return result.login;
}

export function registerWhatsAppWebLoginRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(login, async (c) => {
    const id = c.req.valid('param').id;
    const { links } = await linksFor(c, id);
    return c.json(out(await links.login({ tenantId: c.get('auth').tenant._id, connectionId: id })), 200);
  });

  app.openapi(pairing, async (c) => {
    const id = c.req.valid('param').id;
    const { links, phoneNumber } = await linksFor(c, id);
    const phone = c.req.valid('json')?.phone ?? phoneNumber;
    if (phone === undefined) throw new ApiError('unprocessable', { detail: 'Give the phone number to link', errors: [{ path: 'body.phone', message: 'required when the connection names no phoneNumber' }] });
    return c.json(out(await links.requestPairingCode({ tenantId: c.get('auth').tenant._id, connectionId: id, phone })), 200);
  });
}
