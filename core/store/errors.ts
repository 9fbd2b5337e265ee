/** The stored document has another version than the writer expected. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(
    readonly collection: string,
    readonly id: string | undefined,
    readonly expected: number,
    readonly actual: number | undefined,
  ) {
    super(`${collection} ${id ?? ''} is at version ${actual ?? '?'}, not ${expected}`);
  }
}

/** A write would break a unique index. */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  constructor(
    readonly collection: string,
    readonly fields: string[],
    options?: { cause?: unknown },
  ) {
    super(`duplicate key in ${collection} on ${fields.join(', ') || 'a unique index'}`, options);
  }
}

/** A caller tried to cross the tenant boundary or touch a field the store owns. */
export class StoreMisuseError extends Error {
  override readonly name = 'StoreMisuseError';
}
