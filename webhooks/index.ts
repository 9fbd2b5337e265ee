export {
  createWebhookIntake,
  type HandshakeResult,
  type IntakeLogger,
  type IntakeResult,
  type WebhookIntake,
  type WebhookIntakeOptions,
} from './create-webhook-intake.ts';
export { DEFAULT_MAX_BODY_BYTES, type ResolveWebhookSource, type SourceSecret, type WebhookSource } from './webhook-source.ts';
export { createWebhookSourceResolver } from './resolve-webhook-source.ts';
export {
  ENVELOPE_STATUSES,
  webhookEnvelopesCollection,
  type EnvelopeStatus,
  type StoredHeader,
  type WebhookEnvelopeDoc,
} from './webhook-envelope.ts';
export { ENVELOPE_JOB, SWEEP_JOB, envelopeJobId, type EnvelopeJobData } from './envelope-job.ts';
export { DEFAULT_ENQUEUE_TIMEOUT_MS } from './enqueue-envelope.ts';
export { createEnvelopeProcessor, FAILED_RETENTION_MS, type EnvelopeRun, type EnvelopeRunResult } from './process-envelope.ts';
export type { InboundWebhookEvent, InboundWebhookHandler, InboundWebhookOutcome } from './inbound-webhook-handler.ts';
export { sweepEnvelopes, type SweepOptions, type SweepResult } from './sweep-envelopes.ts';
export { scheduleEnvelopeSweep, SWEEP_SCHEDULER_ID } from './schedule-sweep.ts';
export { replayEnvelope, type ReplayResult } from './replay-envelope.ts';
export { envelopeFilter, type EnvelopeQuery } from './envelope-filter.ts';
