/**
 * Why a sync job cannot succeed as things stand (a mapping error, a hub refusal, an unusable
 * connection): it goes to dead letters at once, to be replayed after a fix. `code` is stable.
 */
export class SyncFailure extends Error {
  override readonly name = 'SyncFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly details: { status?: number; body?: string } = {},
  ) {
    super(message);
  }
}
