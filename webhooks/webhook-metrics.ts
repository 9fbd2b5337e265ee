import { Counter, type Registry } from 'prom-client';

/** Intake counters, labelled by scheme (never by connection, which would grow without bound). */
export interface WebhookMetrics {
  received(scheme: string): void;
  verified(scheme: string): void;
  rejected(scheme: string, reason: string): void;
  duplicates(scheme: string): void;
  unavailable(scheme: string): void;
}

type Tally = Map<string, number>;

const COUNTERS = {
  received: ['hub_webhooks_received_total', 'Webhook requests for a known connection'],
  verified: ['hub_webhooks_verified_total', 'Webhook requests whose signature verified'],
  rejected: ['hub_webhooks_rejected_total', 'Webhook requests refused, by reason'],
  duplicates: ['hub_webhooks_duplicates_total', 'Verified webhooks already received'],
  unavailable: ['hub_webhooks_unavailable_total', 'Webhooks answered 503 because they could not be stored or enqueued'],
} as const;

// Several apps may share one registry (tests, scale-out halves): they share its tallies too.
const talliesByRegistry = new WeakMap<Registry, Record<keyof typeof COUNTERS, Tally>>();

// `rejected` is keyed by scheme and reason; a NUL cannot occur in either.
const SEP = '\u0000';

function counter(registry: Registry, name: string, help: string, tally: Tally, withReason: boolean): void {
  // prom-client hashes a label object on every increment; counting into a plain map and handing
  // the sums over when the registry is read keeps that off the request path.
  new Counter({
    name,
    help,
    labelNames: withReason ? ['scheme', 'reason'] : ['scheme'],
    registers: [registry],
    collect() {
      for (const [key, n] of tally) {
        if (withReason) {
          const at = key.indexOf(SEP);
          this.inc({ scheme: key.slice(0, at), reason: key.slice(at + 1) }, n);
        } else {
          this.inc({ scheme: key }, n);
        }
      }
      tally.clear();
    },
  });
}

const add = (tally: Tally, key: string): void => {
  tally.set(key, (tally.get(key) ?? 0) + 1);
};

/** The intake's counters in `registry`, created on first use. */
export function webhookMetrics(registry: Registry): WebhookMetrics {
  let tallies = talliesByRegistry.get(registry);
  if (!tallies) {
    tallies = { received: new Map(), verified: new Map(), rejected: new Map(), duplicates: new Map(), unavailable: new Map() };
    for (const key of Object.keys(COUNTERS) as (keyof typeof COUNTERS)[]) {
      const [name, help] = COUNTERS[key];
      // A metric of this name registered by other code would make registering throw; leave it be.
      if (registry.getSingleMetric(name)) continue;
      counter(registry, name, help, tallies[key], key === 'rejected');
    }
    talliesByRegistry.set(registry, tallies);
  }
  const t = tallies;
  return {
    received: (scheme) => add(t.received, scheme),
    verified: (scheme) => add(t.verified, scheme),
    rejected: (scheme, reason) => add(t.rejected, scheme + SEP + reason),
    duplicates: (scheme) => add(t.duplicates, scheme),
    unavailable: (scheme) => add(t.unavailable, scheme),
  };
}
