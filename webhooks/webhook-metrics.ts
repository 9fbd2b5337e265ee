import { Counter, type Registry } from 'prom-client';

/** Intake counters, labelled by scheme (never by connection, which would grow without bound). */
export interface WebhookMetrics {
  received: Counter<'scheme'>;
  verified: Counter<'scheme'>;
  rejected: Counter<'scheme' | 'reason'>;
  duplicates: Counter<'scheme'>;
  unavailable: Counter<'scheme'>;
}

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  // Several apps may share one registry (tests, scale-out halves): reuse what is registered.
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/** The intake's counters in `registry`, created on first use. */
export function webhookMetrics(registry: Registry): WebhookMetrics {
  return {
    received: counter(registry, 'hub_webhooks_received_total', 'Webhook requests for a known connection', ['scheme']),
    verified: counter(registry, 'hub_webhooks_verified_total', 'Webhook requests whose signature verified', ['scheme']),
    rejected: counter(registry, 'hub_webhooks_rejected_total', 'Webhook requests refused, by reason', ['scheme', 'reason']),
    duplicates: counter(registry, 'hub_webhooks_duplicates_total', 'Verified webhooks already received', ['scheme']),
    unavailable: counter(registry, 'hub_webhooks_unavailable_total', 'Webhooks answered 503 because they could not be stored or enqueued', ['scheme']),
  };
}
