import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

/**
 * A real HTTP server on a loopback port whose handler is read on each request, so a fixture can
 * learn its public URL (for signed webhook URLs) before it builds the app that answers.
 */
export async function serveLoopback(handler: () => ((req: Request) => Response | Promise<Response>) | undefined): Promise<{ server: ServerType; url: string }> {
  const server: ServerType = await new Promise((resolve) => {
    const started = serve(
      {
        fetch: (req) => {
          const fetch = handler();
          return fetch ? fetch(req) : new Response('not ready', { status: 503 });
        },
        hostname: '127.0.0.1',
        port: 0,
      },
      () => resolve(started),
    );
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
