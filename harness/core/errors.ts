/**
 * A user's mistake: printed as one line, no stack trace, with the exit code the command
 * documents (2 for bad usage or an unreachable target).
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
