import { createOutboundHttp, type OutboundHttp } from '../../connectors/index.ts';
import type { Services } from '../app-env.ts';

// One guarded HTTP client per services object (per app), so keep-alive sockets are shared.
const clients = new WeakMap<Services, OutboundHttp>();

/** The app's guarded outbound HTTP: private addresses refused unless HUB_ALLOW_PRIVATE_URLS. */
export function outboundOf(services: Services): OutboundHttp {
  let client = clients.get(services);
  if (client === undefined) {
    client = createOutboundHttp({ allowPrivate: services.config.allowPrivateUrls });
    clients.set(services, client);
  }
  return client;
}
