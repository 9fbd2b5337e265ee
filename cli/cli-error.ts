/** A failure the user can act on; printed as one line and exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
