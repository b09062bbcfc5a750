import type { CliCommand } from './command.js';
import { baselineCommand } from './commands/baseline.js';
import { batchCommand } from './commands/batch-stats.js';
import { migrateCommand } from './commands/migrate.js';
import { reportCommand } from './commands/report.js';
import { schemaCommand } from './commands/schema.js';

/**
 * Every `opmeter` command. To add one, write `src/cli/commands/<name>.ts` exporting a
 * {@link CliCommand} (it parses its own arguments, sub-commands included: see `report.ts`)
 * and add it to this list: that is the only registration.
 */
export const COMMANDS: readonly CliCommand[] = [
  reportCommand,
  schemaCommand,
  migrateCommand,
  batchCommand,
  baselineCommand,
];
