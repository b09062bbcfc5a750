import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDialect, type DefMetricDialect } from '../../../src/def-metric/index.js';
import { createTestDatabase, type TestDatabase } from './mariadb.js';

/** The dialects every functional suite runs against. */
export const DIALECTS = ['sqlite', 'mysql'] as const;

/** A dialect name of {@link DIALECTS}. */
export type DialectName = (typeof DIALECTS)[number];

/** A fresh, empty database of one dialect. */
export interface DialectFixture {
  readonly url: string;
  /** A new dialect on the database (each has its own pool or handle). */
  dialect(): DefMetricDialect;
  /** The MariaDB database, for the mysql dialect. */
  readonly mariadb: TestDatabase | undefined;
  /** Removes the database. */
  cleanup(): Promise<void>;
}

/** Creates an empty database: a temporary SQLite file, or a random MariaDB database. */
export async function openFixture(name: DialectName): Promise<DialectFixture> {
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'opmeter-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    return {
      url,
      dialect: () => createDialect(url),
      mariadb: undefined,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const database = await createTestDatabase();
  return {
    url: database.url(),
    dialect: () => createDialect(database.url()),
    mariadb: database,
    cleanup: () => database.drop(),
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes (no fixed sleeps). */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
