import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/** The MariaDB the tests use: 127.0.0.1:3306, root, empty password. */
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' } as const;

/**
 * Tells whether MariaDB answers. When it does not: in CI (`CI=true`) this throws so the run fails;
 * elsewhere it prints a loud banner and the caller skips its MariaDB suites.
 */
export async function mariadbAvailable(suite: string): Promise<boolean> {
  try {
    const connection = await mysql.createConnection({ ...MARIADB, connectTimeout: 3_000 });
    await connection.end();
    return true;
  } catch (error) {
    const reason = (error as Error).message;
    if (process.env.CI === 'true') {
      throw new Error(
        `${suite}: MariaDB at 127.0.0.1:3306 is required in CI but unreachable: ${reason}`,
      );
    }
    console.warn(
      [
        '',
        '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
        `!!! SKIPPING ${suite}: MariaDB at 127.0.0.1:3306 is unreachable (${reason})`,
        '!!! start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
        '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
        '',
      ].join('\n'),
    );
    return false;
  }
}

/** A throw-away database on the test MariaDB. */
export interface TestDatabase {
  readonly name: string;
  /** `mysql://root@127.0.0.1:3306/<name>`, or through another port. */
  url(port?: number): string;
  /** A direct connection for assertions. */
  readonly admin: mysql.Connection;
  /** Drops the database and closes the admin connection. */
  drop(): Promise<void>;
}

/** Creates a database with a random name; call `drop()` afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `opmeter_test_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection({
    ...MARIADB,
    dateStrings: true,
    decimalNumbers: true,
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.query(`USE \`${name}\``);
  return {
    name,
    admin,
    url: (port = MARIADB.port) => `mysql://${MARIADB.user}@${MARIADB.host}:${port}/${name}`,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

/** Rows of `def_dataimport_metric` with DataimportCode `code` in `database`, and how many distinct ItemsProcessed they hold. */
export async function importRows(
  database: TestDatabase,
  code: string,
): Promise<{ rows: number; distinct: number }> {
  const [result] = await database.admin.query(
    'SELECT COUNT(*) AS n, COUNT(DISTINCT ItemsProcessed) AS d FROM def_dataimport_metric WHERE DataimportCode = ?',
    [code],
  );
  const row = (result as Array<{ n: number; d: number }>)[0];
  return { rows: Number(row?.n), distinct: Number(row?.d) };
}
