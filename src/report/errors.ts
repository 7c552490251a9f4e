// Two kinds of expected failure, each with its exit code. Anything else that
// escapes a probe is a bug and is reported as such (stack only with --debug).

/** Bad input: one line on stderr naming the value and the accepted form; exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The probe cannot run here (missing tool, permission, OS); exit 3. */
export class CannotRunError extends Error {
  override name = 'CannotRunError';
  constructor(
    message: string,
    /** What would let it run: "run as root", "needs Linux", ... */
    readonly remedy: string[] = [],
  ) {
    super(message);
  }
}
