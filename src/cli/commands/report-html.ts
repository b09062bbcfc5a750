import type { CliIo } from '../command.js';

/** `opmeter report html …` (being written). */
export async function runHtmlReport(_args: string[], _io: CliIo): Promise<number> {
  throw new Error('the html report is not available yet');
}
