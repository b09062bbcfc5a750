import { COLLATION_PLACEHOLDER, renderMysqlDdl, renderSqliteDdl } from '../../def-metric/index.js';
import { type CliCommand, UsageError } from '../command.js';
import { parseCommandArgs } from '../parse.js';
import { registryFrom, SCHEMAS_OPTION } from '../shared-options.js';

/** `opmeter schema`: prints the DDL of the declared tables for a dialect and collation. */
export const schemaCommand: CliCommand = {
  name: 'schema',
  summary: 'print the CREATE TABLE statements for MySQL/MariaDB or SQLite',
  usage: [
    'Usage: opmeter schema [--dialect mysql|sqlite] [--collation <name>] [--table <name>]... [--schemas <path>]...',
    '',
    '  --dialect <name>    mysql (default; MariaDB too) or sqlite',
    `  --collation <name>  utf8mb4 collation for MySQL (default: keep the ${COLLATION_PLACEHOLDER} placeholder)`,
    '  --table <name>      only this table (repeatable; default: every declared table)',
    '  --schemas <path>    extra YAML schema file or folder (repeatable)',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        dialect: { type: 'string', default: 'mysql' },
        collation: { type: 'string' },
        table: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        ...SCHEMAS_OPTION,
      },
      false,
    );
    if (values.help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.dialect !== 'mysql' && values.dialect !== 'sqlite') {
      throw new UsageError(`unknown dialect '${values.dialect}' (mysql or sqlite)`);
    }
    if (values.dialect === 'sqlite' && values.collation !== undefined) {
      throw new UsageError('--collation applies to the mysql dialect only');
    }
    const registry = registryFrom(values.schemas);
    const tables = values.table
      ? values.table.map((name) => registry.require(name))
      : registry.tables();
    const statements = tables.flatMap((table) =>
      values.dialect === 'sqlite'
        ? renderSqliteDdl(table)
        : [renderMysqlDdl(table, values.collation ?? COLLATION_PLACEHOLDER)],
    );
    io.stdout.write(statements.map((sql) => `${sql};\n`).join('\n'));
    return 0;
  },
};
