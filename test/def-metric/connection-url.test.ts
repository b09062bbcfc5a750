import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  DEF_METRIC_URL_ENV,
  defMetricUrlFromEnv,
  MysqlConnectionUrl,
  parseConnectionUrl,
  parseDuration,
} from '../../src/def-metric/index.js';

describe('connection URLs', () => {
  it('parses mysql:// and mariadb:// with credentials, port, database and pool size', () => {
    const url = parseConnectionUrl(
      'mariadb://app:s%40cret@db.internal:3307/metrics?connectionLimit=8',
    );
    expect(url).toBeInstanceOf(MysqlConnectionUrl);
    const mysql = url as MysqlConnectionUrl;
    expect([
      mysql.scheme,
      mysql.host,
      mysql.port,
      mysql.user,
      mysql.database,
      mysql.connectionLimit,
    ]).toEqual(['mariadb', 'db.internal', 3307, 'app', 'metrics', 8]);
    expect(mysql.password()).toBe('s@cret');
    expect((parseConnectionUrl('mysql://root@localhost/x') as MysqlConnectionUrl).port).toBe(3306);
  });

  it('never prints the password: toString, JSON, inspect, template strings', () => {
    const url = parseConnectionUrl('mysql://app:hunter2@db:3306/metrics');
    for (const printed of [
      String(url),
      JSON.stringify({ url }),
      inspect(url),
      `${url}`,
      inspect({ nested: url }),
    ]) {
      expect(printed).not.toContain('hunter2');
    }
    expect(String(url)).toBe('mysql://app:***@db:3306/metrics');
  });

  it('parses sqlite:./file.db, sqlite:/abs/path.db and sqlite::memory:', () => {
    expect(parseConnectionUrl('sqlite:./opmeter.db')).toEqual({
      kind: 'sqlite',
      path: './opmeter.db',
    });
    expect(parseConnectionUrl('sqlite:/var/lib/x.db')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/x.db',
    });
    expect(parseConnectionUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it.each([
    ['postgres://u:topsecret@h/db', /unsupported database URL scheme 'postgres:'/],
    ['mysql://u:topsecret@h:3306/', /needs a database name/],
    ['mysql://u:topsecret@h/db?ssl=1', /unknown parameter 'ssl'/],
    ['mysql://u:topsecret@h/db?connectionLimit=0', /connectionLimit must be a positive integer/],
    ['sqlite:', /needs a file path/],
    ['not a url', /unsupported database URL scheme/],
  ])('refuses %s with a message that does not echo the password', (text, message) => {
    let error: Error | undefined;
    try {
      parseConnectionUrl(text);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('topsecret');
  });

  it(`reads ${DEF_METRIC_URL_ENV}, defaulting to SQLite ./opmeter.db`, () => {
    expect(defMetricUrlFromEnv({})).toEqual({ kind: 'sqlite', path: './opmeter.db' });
    expect(defMetricUrlFromEnv({ [DEF_METRIC_URL_ENV]: 'sqlite::memory:' })).toEqual({
      kind: 'sqlite',
      path: ':memory:',
    });
    expect(() => defMetricUrlFromEnv({ [DEF_METRIC_URL_ENV]: 'ftp://x' })).toThrow(
      /^OPMETER_DEF_METRIC_URL: /,
    );
  });

  it('parses report windows', () => {
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(() => parseDuration('7 days')).toThrow(/invalid duration '7 days'/);
  });
});
