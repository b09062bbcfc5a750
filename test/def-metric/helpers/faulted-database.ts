import { afterAll, beforeAll } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../../support/fault-proxy.js';
import { createTestDatabase, importRows, MARIADB, type TestDatabase } from './mariadb.js';

/** A throw-away MariaDB database reached through a fault proxy, shared by the tests of one suite. */
export interface FaultedDatabase {
  readonly database: TestDatabase;
  readonly proxy: FaultProxy;
  /** The database's URL through the proxy. */
  url(): string;
  /** Rows of `def_dataimport_metric` with DataimportCode `code`, and their distinct ItemsProcessed. */
  stored(code: string): Promise<{ rows: number; distinct: number }>;
}

/** Registers the hooks (call it inside `describe`): database and proxy before the suite, both gone after. */
export function useFaultedDatabase(): FaultedDatabase {
  const state = {} as { database: TestDatabase; proxy: FaultProxy };
  beforeAll(async () => {
    state.database = await createTestDatabase();
    state.proxy = await startFaultProxy(MARIADB.host, MARIADB.port);
  });
  afterAll(async () => {
    await state.proxy?.close();
    await state.database?.drop();
  });
  return {
    get database() {
      return state.database;
    },
    get proxy() {
      return state.proxy;
    },
    url: () => state.database.url(state.proxy.port),
    stored: (code) => importRows(state.database, code),
  };
}
