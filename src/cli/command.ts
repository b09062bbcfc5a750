/** Where a command writes: data to `stdout`, diagnostics to `stderr`. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
}

/** One `opmeter <name>` command. */
export interface CliCommand {
  /** The word after `opmeter`. */
  readonly name: string;
  /** One line for `opmeter --help`. */
  readonly summary: string;
  /** Full usage text printed by `opmeter <name> --help`. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A mistake in the command line: reported with a usage hint and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit code of a report that found what it looks for (`opmeter report regressions`): 3. */
export const EXIT_FOUND = 3;
