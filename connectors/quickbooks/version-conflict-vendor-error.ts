import { UnrecoverableVendorError } from '../sdk/index.ts';

/**
 * An update met a newer version of the record than the one it was based on, and the record's
 * fields that the update writes changed remotely too (or the caller pinned `expectedVersion`).
 * Writing anyway would overwrite someone's edit, so the sync engine records a conflict for
 * review, or merges with `remote` and pushes again with `currentVersion`. It is an
 * UnrecoverableVendorError, so a queue that does not know it dead-letters the job (replayable)
 * rather than retrying it unchanged.
 */
export class VersionConflictVendorError extends UnrecoverableVendorError {
  /** The version the write was based on (a SyncToken). */
  readonly expectedVersion: string | undefined;
  /** The version QuickBooks holds now. */
  readonly currentVersion: string;
  /** The written fields whose remote value changed, or that differ from what was to be written. */
  readonly fields: readonly string[];
  /** The record as QuickBooks holds it now. */
  readonly remote: Readonly<Record<string, unknown>>;

  constructor({
    object,
    id,
    expectedVersion,
    currentVersion,
    fields,
    remote,
    status = 400,
  }: {
    object: string;
    id: string;
    expectedVersion: string | undefined;
    currentVersion: string;
    fields: readonly string[];
    remote: Readonly<Record<string, unknown>>;
    status?: number;
  }) {
    super(status, '', {
      message: `update ${object} ${id}: QuickBooks holds version ${currentVersion}, not ${expectedVersion ?? 'the one read'}, and ${fields.length === 0 ? 'the record' : fields.join(', ')} changed there`,
    });
    // The base class fixes `name` as a literal type, so it is replaced at run time.
    Object.defineProperty(this, 'name', { value: 'VersionConflictVendorError' });
    this.expectedVersion = expectedVersion;
    this.currentVersion = currentVersion;
    this.fields = fields;
    this.remote = remote;
  }
}
