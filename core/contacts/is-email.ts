const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** True for something shaped like an email address (name@example.in), at most 254 characters. */
export function isEmail(input: string): boolean {
  return input.length <= 254 && EMAIL.test(input);
}
