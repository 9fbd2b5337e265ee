import { createHmac } from 'node:crypto';
import type { ChangeEvent } from './ledger.ts';

export interface WebhookRegistration {
  url: string;
  verifierToken: string;
  /** Entity names to be notified about; default all. */
  entities?: string[];
}

export interface WebhookDelivery {
  url: string;
  status: number;
  ok: boolean;
  /** The exact bytes sent; the signature covers these. */
  rawBody: string;
  signature: string;
  payload: unknown;
  responseBody: string;
  error?: string;
}

interface Subscription {
  registration: WebhookRegistration;
  queue: ChangeEvent[];
}

const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Intuit batches change events and POSTs them to each app's endpoint, signed with
 * `intuit-signature: base64(HMAC-SHA256(verifierToken, body))`. Deliveries leave only when a test
 * flushes, so timing is deterministic; a delivery that is not answered 2xx stays queued and goes
 * again, with anything newer, on the next flush, as Intuit's retries do.
 */
export class WebhookDispatcher {
  readonly #subscriptions: Subscription[] = [];

  register(registration: WebhookRegistration): () => void {
    const subscription = { registration, queue: [] };
    this.#subscriptions.push(subscription);
    return () => {
      const index = this.#subscriptions.indexOf(subscription);
      if (index >= 0) this.#subscriptions.splice(index, 1);
    };
  }

  enqueue(event: ChangeEvent): void {
    for (const subscription of this.#subscriptions) {
      const wanted = subscription.registration.entities;
      if (wanted && !wanted.some((e) => e.toLowerCase() === event.name.toLowerCase())) continue;
      subscription.queue.push(event);
    }
  }

  get pending(): number {
    return this.#subscriptions.reduce((sum, s) => sum + s.queue.length, 0);
  }

  async flush(): Promise<WebhookDelivery[]> {
    const deliveries: WebhookDelivery[] = [];
    for (const subscription of this.#subscriptions) {
      if (subscription.queue.length === 0) continue;
      const events = [...subscription.queue];
      const delivery = await this.#deliver(subscription.registration, events);
      if (delivery.ok) subscription.queue.splice(0, events.length);
      deliveries.push(delivery);
    }
    return deliveries;
  }

  async #deliver(registration: WebhookRegistration, events: ChangeEvent[]): Promise<WebhookDelivery> {
    const byRealm = new Map<string, ChangeEvent[]>();
    for (const event of events) byRealm.set(event.realmId, [...(byRealm.get(event.realmId) ?? []), event]);
    const payload = {
      eventNotifications: [...byRealm].map(([realmId, list]) => ({
        realmId,
        dataChangeEvent: {
          entities: list.map((e) => ({ name: e.name, id: e.id, operation: e.operation, lastUpdated: new Date(e.lastUpdated).toISOString() })),
        },
      })),
    };
    const rawBody = JSON.stringify(payload);
    const signature = createHmac('sha256', registration.verifierToken).update(rawBody, 'utf8').digest('base64');
    try {
      const response = await fetch(registration.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'intuit-signature': signature },
        body: rawBody,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      const responseBody = await response.text();
      return { url: registration.url, status: response.status, ok: response.ok, rawBody, signature, payload, responseBody };
    } catch (error) {
      return {
        url: registration.url,
        status: 0,
        ok: false,
        rawBody,
        signature,
        payload,
        responseBody: '',
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }
}
