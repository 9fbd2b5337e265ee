/** The writes a connector can make. */
export const PUSH_OPS = ['create', 'update', 'delete'] as const;
export type PushOp = (typeof PUSH_OPS)[number];

/**
 * One write to the vendor. `idempotencyKey` is stable for the business change (sync job id), so a
 * retried job never double-writes: connectors send it where the vendor honours one and otherwise
 * make the write idempotent themselves.
 */
export interface PushRequest {
  object: string;
  op: PushOp;
  /** The vendor id; required for update and delete. */
  id?: string;
  /** The mapped record (remote shape); absent for delete. */
  data?: Record<string, unknown>;
  idempotencyKey: string;
  /** The version last seen; connectors that support it make the write conditional. */
  expectedVersion?: string;
  /**
   * The id of the hub record the write is for. Sync sends it on every push; a connector may store
   * it on the remote record for lineage (Jira keeps it in the entity property).
   */
  hubId?: string;
  /**
   * Whether the caller needs the record as written back in the result (`PushResult.version` and
   * `data`). With `false`, a connector that would read the record again after writing skips that
   * read and may answer with the id alone; one whose write already returns the record may still
   * pass it on. Sync says `false` for mappings that never read the vendor.
   * @default true
   */
  readBack?: boolean;
}

/** What a write produced: the vendor id, its new version and the record as returned, when given. */
export interface PushResult {
  id: string;
  version?: string;
  data?: Record<string, unknown>;
}
