import { TokenCursor } from './ddl-cursor.js';
import { tokenize } from './ddl-tokenizer.js';
import type {
  ColumnDefault,
  ColumnModel,
  ColumnType,
  IndexColumn,
  IndexModel,
  TableModel,
} from './table-model.js';

const TYPE_ALIASES: Readonly<Record<string, ColumnType>> = {
  tinyint: 'tinyint',
  smallint: 'smallint',
  mediumint: 'mediumint',
  int: 'int',
  integer: 'int',
  bigint: 'bigint',
  decimal: 'decimal',
  numeric: 'decimal',
  float: 'float',
  double: 'double',
  char: 'char',
  varchar: 'varchar',
  tinytext: 'tinytext',
  text: 'text',
  mediumtext: 'mediumtext',
  longtext: 'longtext',
  date: 'date',
  datetime: 'datetime',
  timestamp: 'timestamp',
};

/** Parses one `CREATE TABLE` statement of the supported MySQL subset into a table model. */
export function parseCreateTable(sql: string, context = 'DDL'): TableModel {
  const cursor = new TokenCursor(tokenize(sql), context);
  cursor.expectWord('CREATE');
  cursor.expectWord('TABLE');
  if (cursor.acceptWord('IF')) {
    cursor.expectWord('NOT');
    cursor.expectWord('EXISTS');
  }
  const name = cursor.name();
  cursor.expectPunct('(');
  const columns: ColumnModel[] = [];
  const indexes: IndexModel[] = [];
  let primaryKey: string[] = [];
  do {
    if (cursor.acceptWord('PRIMARY')) {
      cursor.expectWord('KEY');
      if (primaryKey.length > 0) cursor.fail('a second PRIMARY KEY');
      primaryKey = parseIndexColumns(cursor).map((column) => column.name);
    } else if (cursor.isWord('UNIQUE') || cursor.isWord('KEY') || cursor.isWord('INDEX')) {
      indexes.push(parseIndex(cursor));
    } else {
      columns.push(parseColumn(cursor));
    }
  } while (cursor.acceptPunct(','));
  cursor.expectPunct(')');
  const options = parseTableOptions(cursor);
  checkReferences(cursor, columns, primaryKey, indexes);
  return { name, columns, primaryKey, indexes, ...options };
}

function parseColumn(cursor: TokenCursor): ColumnModel {
  const name = cursor.name();
  const typeToken = cursor.next();
  const type = TYPE_ALIASES[typeToken.text.toLowerCase()];
  if (typeToken.kind !== 'word' || !type) {
    cursor.fail(
      `column \`${name}\` has unsupported type '${typeToken.text}' (supported: ${Object.keys(TYPE_ALIASES).join(', ')})`,
      typeToken,
    );
  }
  let length: number | undefined;
  let precision: number | undefined;
  let scale: number | undefined;
  if (cursor.acceptPunct('(')) {
    const first = cursor.integer();
    if (cursor.acceptPunct(',')) {
      precision = first;
      scale = cursor.integer();
    } else if (type === 'decimal') {
      precision = first;
      scale = 0;
    } else {
      length = first;
    }
    cursor.expectPunct(')');
  } else if (type === 'decimal') {
    precision = 10;
    scale = 0;
  }
  if ((type === 'varchar' || type === 'char') && length === undefined) {
    if (type === 'varchar') cursor.fail(`column \`${name}\`: varchar needs a length`);
    length = 1;
  }
  const unsigned = cursor.acceptWord('UNSIGNED');
  let nullable = true;
  let columnDefault: ColumnDefault = { kind: 'none' };
  let comment: string | undefined;
  for (;;) {
    if (cursor.acceptWord('NOT')) {
      cursor.expectWord('NULL');
      nullable = false;
    } else if (cursor.acceptWord('NULL')) {
      nullable = true;
    } else if (cursor.acceptWord('DEFAULT')) {
      columnDefault = parseDefault(cursor);
    } else if (cursor.acceptWord('COMMENT')) {
      comment = cursor.string();
    } else if (cursor.isPunct(',') || cursor.isPunct(')')) {
      break;
    } else {
      cursor.fail(`column \`${name}\`: unsupported attribute`);
    }
  }
  return {
    name,
    type,
    unsigned,
    nullable,
    default: columnDefault,
    ...(length === undefined ? {} : { length }),
    ...(precision === undefined ? {} : { precision, scale: scale ?? 0 }),
    ...(comment === undefined ? {} : { comment }),
  } as ColumnModel;
}

function parseDefault(cursor: TokenCursor): ColumnDefault {
  if (cursor.acceptWord('NULL')) return { kind: 'null' };
  if (cursor.acceptWord('CURRENT_TIMESTAMP')) {
    if (cursor.acceptPunct('(')) cursor.expectPunct(')');
    return { kind: 'current_timestamp' };
  }
  const negative = cursor.acceptPunct('-');
  const token = cursor.next();
  if (token.kind === 'number')
    return { kind: 'literal', value: Number(token.text) * (negative ? -1 : 1) };
  if (token.kind === 'string' && !negative) return { kind: 'literal', value: token.text };
  return cursor.fail(
    'unsupported DEFAULT value (use NULL, CURRENT_TIMESTAMP, a number or a string)',
    token,
  );
}

function parseIndex(cursor: TokenCursor): IndexModel {
  const unique = cursor.acceptWord('UNIQUE');
  if (!cursor.acceptWord('KEY')) cursor.expectWord('INDEX');
  if (cursor.isPunct('(')) cursor.fail('an index needs a name');
  const name = cursor.name();
  return { name, unique, columns: parseIndexColumns(cursor) };
}

function parseIndexColumns(cursor: TokenCursor): IndexColumn[] {
  const columns: IndexColumn[] = [];
  cursor.expectPunct('(');
  do {
    const name = cursor.name();
    if (cursor.acceptPunct('(')) {
      const prefixLength = cursor.integer();
      cursor.expectPunct(')');
      columns.push({ name, prefixLength });
    } else {
      columns.push({ name });
    }
  } while (cursor.acceptPunct(','));
  cursor.expectPunct(')');
  return columns;
}

function parseTableOptions(
  cursor: TokenCursor,
): Pick<TableModel, 'engine' | 'charset' | 'collation' | 'comment'> {
  let engine = 'InnoDB';
  let charset = 'utf8mb4';
  let collation = '';
  let comment: string | undefined;
  while (!cursor.atEnd() && !cursor.isPunct(';')) {
    cursor.acceptWord('DEFAULT');
    if (cursor.acceptWord('ENGINE')) {
      cursor.acceptPunct('=');
      engine = cursor.name();
    } else if (
      cursor.acceptWord('CHARSET') ||
      (cursor.acceptWord('CHARACTER') && expectSet(cursor))
    ) {
      cursor.acceptPunct('=');
      charset = cursor.name();
    } else if (cursor.acceptWord('COLLATE')) {
      cursor.acceptPunct('=');
      const token = cursor.next();
      if (token.kind === 'placeholder' && token.text !== '{collation}') {
        cursor.fail(`unknown placeholder ${token.text} (only {collation} is supported)`, token);
      }
      collation = token.text;
    } else if (cursor.acceptWord('COMMENT')) {
      cursor.acceptPunct('=');
      comment = cursor.string();
    } else {
      cursor.fail('unsupported table option');
    }
  }
  cursor.acceptPunct(';');
  if (!cursor.atEnd()) cursor.fail('one YAML entry holds exactly one CREATE TABLE statement');
  if (charset.toLowerCase() !== 'utf8mb4')
    cursor.fail(`charset ${charset} is not supported: use utf8mb4`);
  return {
    engine,
    charset,
    collation: collation || '{collation}',
    ...(comment === undefined ? {} : { comment }),
  };
}

function expectSet(cursor: TokenCursor): true {
  cursor.expectWord('SET');
  return true;
}

function checkReferences(
  cursor: TokenCursor,
  columns: readonly ColumnModel[],
  primaryKey: readonly string[],
  indexes: readonly IndexModel[],
): void {
  const names = new Set<string>();
  for (const column of columns) {
    if (names.has(column.name)) cursor.fail(`column \`${column.name}\` is declared twice`);
    names.add(column.name);
  }
  for (const key of primaryKey) {
    if (!names.has(key)) cursor.fail(`PRIMARY KEY names unknown column \`${key}\``);
  }
  for (const index of indexes) {
    for (const column of index.columns) {
      if (!names.has(column.name)) {
        cursor.fail(`KEY \`${index.name}\` names unknown column \`${column.name}\``);
      }
    }
  }
}
