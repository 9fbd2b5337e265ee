import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { TransientVendorError, UnrecoverableVendorError } from '../../connectors/index.ts';
import type { WhatsAppWebLogin, WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import { loadConnection } from '../../core/connections/index.ts';
import type { AppEnv } from '../app-env.ts';
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

async function sessionFor(c: Context<AppEnv>, id: string): Promise<{ sessions: WhatsAppWebSessions; phoneNumber?: string; deviceName?: string }> {
  const conn = await loadConnection(c.get('db'), id);
  if (conn === null) throw new ApiError('not_found', { detail: 'No such connection' });
  if (conn.connector !== 'whatsapp-web') throw new ApiError('conflict', { detail: `Connection ${id} is a ${conn.connector} connection; only whatsapp-web connections link by QR code` });
  if (conn.status !== 'active') throw new ApiError('conflict', { detail: `Connection ${id} is ${conn.status}; resume it first` });
  const sessions = c.get('services').whatsappWeb;
  if (sessions === undefined) throw new ApiError('service_unavailable', { detail: 'This process runs no WhatsApp Web sessions; ask the process that runs the workers (hub start or hub worker)' });
  const config = conn.config as { phoneNumber?: string; deviceName?: string };
  return { sessions, ...(config.phoneNumber ? { phoneNumber: config.phoneNumber } : {}), ...(config.deviceName ? { deviceName: config.deviceName } : {}) };
}

async function opened(sessions: WhatsAppWebSessions, id: string, deviceName: string | undefined) {
  try {
    return await sessions.open(id, deviceName ? { deviceName } : {});
  } catch (err) {
    throw new ApiError('service_unavailable', { detail: `The WhatsApp Web session could not start: ${(err as Error).message}` });
  }
}

const out = (l: WhatsAppWebLogin) => l as z.infer<typeof LoginSchema>;

export function registerWhatsAppWebLoginRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(login, async (c) => {
    const id = c.req.valid('param').id;
    const { sessions, deviceName } = await sessionFor(c, id);
    const session = sessions.get(id) ?? (await opened(sessions, id, deviceName));
    return c.json(out(session.login()), 200);
  });

  app.openapi(pairing, async (c) => {
    const id = c.req.valid('param').id;
    const { sessions, phoneNumber, deviceName } = await sessionFor(c, id);
    const phone = c.req.valid('json')?.phone ?? phoneNumber;
    if (phone === undefined) throw new ApiError('unprocessable', { detail: 'Give the phone number to link', errors: [{ path: 'body.phone', message: 'required when the connection names no phoneNumber' }] });
    const session = sessions.get(id) ?? (await opened(sessions, id, deviceName));
    try {
      await session.requestPairingCode(phone);
    } catch (err) {
      if (err instanceof UnrecoverableVendorError) throw new ApiError('unprocessable', { detail: err.message, errors: [{ path: 'body.phone', message: 'not a phone number' }] });
      if (err instanceof TransientVendorError) throw new ApiError('conflict', { detail: err.message });
      throw err;
    }
    return c.json(out(session.login()), 200);
  });
}
