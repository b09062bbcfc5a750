import { createDialect, migrate } from '../../def-metric/index.js';
import { type CliCommand, UsageError } from '../command.js';
import { parseCommandArgs } from '../parse.js';
import {
  registryFrom,
  resolveUrl,
  SCHEMAS_OPTION,
  SHARED_USAGE,
  URL_OPTION,
} from '../shared-options.js';

/** `opmeter migrate`: creates the declared tables that do not exist yet. */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'create the def_*_metric tables (idempotent)',
  usage: [
    'Usage: opmeter migrate [--url <url>] [--collation <name>] [--table <name>]... [--schemas <path>]...',
    '',
    '  --collation <name>  utf8mb4 collation (default: the server default utf8mb4 collation)',
    '  --table <name>      only this table (repeatable; default: every declared table)',
    SHARED_USAGE,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        collation: { type: 'string' },
        table: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        ...URL_OPTION,
        ...SCHEMAS_OPTION,
      },
      false,
    );
    if (values.help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const registry = registryFrom(values.schemas);
    const tables = values.table
      ? values.table.map((name) => registry.require(name))
      : registry.tables();
    const dialect = createDialect(resolveUrl(values.url, io.env));
    try {
      const collation = await migrate(dialect, tables, {
        ...(values.collation === undefined ? {} : { collation: values.collation }),
      });
      for (const table of tables) io.stdout.write(`${table.name}\n`);
      const used = dialect.name === 'mysql' ? ` (collation ${collation})` : '';
      io.stderr.write(`${tables.length} tables ready on ${dialect.target}${used}\n`);
      return 0;
    } catch (error) {
      throw new Error(`${dialect.target}: ${(error as Error).message}`, { cause: error });
    } finally {
      await dialect.close();
    }
  },
};
