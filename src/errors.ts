/**
 * The two kinds of failure a user can meet. The exit code tells them apart:
 * 1 a check or an operation failed, 2 bad usage or refused input (nothing changed).
 */
export class ReorgGuardError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
    this.name = 'ReorgGuardError';
  }
}

/** Bad usage or refused input: exit 2, and nothing was changed. */
export class UsageError extends ReorgGuardError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** A check or an operation failed: exit 1. */
export class OperationError extends ReorgGuardError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'OperationError';
  }
}

/** git says the folder is not in a git repository (exit 2). Only this may mean "no repository here". */
export class NotARepoError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'NotARepoError';
  }
}
