import { describe, expect, it } from 'vitest';
import { TransientVendorError } from '../../connectors/index.ts';
import { UnconfirmedSendError } from '../../queues/notify/index.ts';
import { deliveryErrorOf } from '../../queues/notify/delivery-error-of.ts';

describe('UnconfirmedSendError', () => {
  it('names itself, and is still classified by class as a transient failure', () => {
    const err = new UnconfirmedSendError('whatsapp-web: no answer; the message may have gone out', { retryAfterMs: 30_000 });
    expect(err.name).toBe('UnconfirmedSendError');
    expect(String(err)).toBe('UnconfirmedSendError: whatsapp-web: no answer; the message may have gone out');
    expect(err).toBeInstanceOf(UnconfirmedSendError);
    expect(err).toBeInstanceOf(TransientVendorError);
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 30_000 });
    // Retried on the same channel, as any transient failure.
    expect(deliveryErrorOf(err, 'whatsapp-web')).toEqual({ code: 'transient', message: err.message, permanent: false });
    // The base class keeps its own name.
    expect(new TransientVendorError('x').name).toBe('TransientVendorError');
  });
});
