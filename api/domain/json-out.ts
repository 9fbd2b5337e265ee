/** A value as JSON carries it: Dates become ISO strings. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/**
 * Types a view as what `c.json` will send. Serialisation itself turns Dates into ISO strings,
 * so nothing is copied here; only the type follows.
 */
export function jsonOut<T>(value: T): Jsonified<T> {
  return value as unknown as Jsonified<T>;
}
