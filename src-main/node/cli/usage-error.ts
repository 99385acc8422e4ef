/** A wrong command line (unknown command, missing argument): exit code 2 and a hint to `help`. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
