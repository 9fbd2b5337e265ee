/**
 * The outcome of a money operation whose failure is expected (bad admin data, user input).
 * `code` is stable and meant for branching; `message` is for people.
 */
export type MoneyResult<T, C extends string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { readonly code: C; readonly message: string } };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail<C extends string>(code: C, message: string): { readonly ok: false; readonly error: { readonly code: C; readonly message: string } } {
  return { ok: false, error: { code, message } };
}
