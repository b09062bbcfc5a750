import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './command.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `node:util` parseArgs in strict mode, turning its errors into {@link UsageError}s. */
export function parseCommandArgs<T extends Options>(
  args: string[],
  options: T,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'invalid arguments');
  }
}
