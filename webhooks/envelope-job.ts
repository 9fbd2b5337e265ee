/** The `webhooks` queue job that processes one envelope. */
export const ENVELOPE_JOB = 'envelope';
/** The `webhooks` queue job that re-enqueues envelopes whose enqueue was lost. */
export const SWEEP_JOB = 'sweep';

export interface EnvelopeJobData {
  tenantId: string;
  envelopeId: string;
}

/** The job id of an envelope's current run: a replay needs a new one, since BullMQ keeps finished ids. */
export function envelopeJobId(envelopeId: string, replayCount: number): string {
  return replayCount === 0 ? envelopeId : `${envelopeId}-r${replayCount}`;
}
