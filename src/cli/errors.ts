// Errors that end a command: the message is printed as-is to stderr and the process exits with code.
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
