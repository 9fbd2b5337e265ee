/** One record as a connector reads it from the vendor. */
export interface RemoteRecord {
  /** The vendor's id, as text. */
  id: string;
  /** The vendor's version or ETag, when it has one; sync sends it back as `expectedVersion`. */
  version?: string;
  /** When the vendor last changed it, ISO 8601 UTC. */
  updatedAt?: string;
  /** True for a deletion the vendor reports (a tombstone); `data` may then hold only the id. */
  deleted?: boolean;
  /** The record exactly as the vendor's API returns it; mappings' `remote` paths read it. */
  data: Record<string, unknown>;
}

/**
 * Asks for the next page of changes to one object type. `cursor` is null for the first call and
 * otherwise the `nextCursor` of the previous page, stored durably by the caller.
 */
export interface PullRequest {
  object: string;
  cursor: string | null;
  /** Records wanted per page; the connector may return fewer. */
  limit?: number;
  /** For a first call only: changes since this instant (ISO 8601), where the vendor can filter. */
  since?: string;
}

/**
 * One page of changes. Pulls are at-least-once: a record changed at the watermark boundary may
 * come again on the next sweep, so callers dedupe (by version or content hash).
 */
export interface PullPage {
  records: RemoteRecord[];
  /** Always set: store it and pass it to the next call. Opaque. */
  nextCursor: string;
  /** True when this sweep reached the end; call again later with `nextCursor` for newer changes. */
  done: boolean;
}

/** Reads one record by id (e.g. when a webhook names a record without carrying it). */
export interface GetRequest {
  object: string;
  id: string;
}
