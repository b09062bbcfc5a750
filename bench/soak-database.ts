import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { type Child, startChild } from '../test/support/child-process.js';
import { type Fault, type FaultProxy, startFaultProxy } from '../test/support/fault-proxy.js';

/** The MariaDB the soak uses when it answers: 127.0.0.1:3306, root, empty password. */
const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' } as const;

/** Which database the soak writes to, and the fault of its outage. */
export type SoakDatabaseKind = 'mariadb' | 'sqlite';
/** The outage's fault on MariaDB (through the fault proxy); SQLite is locked instead. */
export type OutageFault = 'refuse' | 'blackhole' | 'reset';

/** A database for the soak's writer, with an outage it can switch on and off. */
export interface SoakDatabase {
  readonly kind: SoakDatabaseKind;
  /** What the outage does, for the report. */
  readonly outage: string;
  /** The writer's URL (through the fault proxy on MariaDB). */
  readonly url: string;
  /** Where the writer's spill journal goes. */
  readonly spillPath: string;
  startOutage(): Promise<void>;
  endOutage(): Promise<void>;
  /** Drops the database and removes the files. */
  dispose(): Promise<void>;
}

/** True when MariaDB answers on 127.0.0.1:3306 within a second. */
export async function mariadbAnswers(): Promise<boolean> {
  try {
    const connection = await mysql.createConnection({ ...MARIADB, connectTimeout: 1_000 });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * A throw-away database: on MariaDB behind the fault proxy (the outage is the proxy's `fault`), or
 * an SQLite file (the outage is another process holding an exclusive lock, as a second
 * application or a backup would).
 */
export async function openSoakDatabase(
  kind: SoakDatabaseKind,
  fault: OutageFault,
): Promise<SoakDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'opmeter-soak-'));
  const spillPath = join(dir, 'spill.db');
  const removeDir = () => rm(dir, { recursive: true, force: true });
  if (kind === 'sqlite') return sqliteDatabase(join(dir, 'soak.db'), spillPath, removeDir);
  const name = `opmeter_soak_${process.pid}_${Date.now()}`;
  const admin = await mysql.createConnection(MARIADB);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const proxy: FaultProxy = await startFaultProxy(MARIADB.host, MARIADB.port);
  const outage: Fault = { kind: fault };
  return {
    kind,
    outage: `MariaDB ${fault} (fault proxy)`,
    url: `mysql://root@127.0.0.1:${proxy.port}/${name}`,
    spillPath,
    startOutage: () => proxy.set(outage),
    endOutage: () => proxy.set({ kind: 'none' }),
    async dispose() {
      await proxy.close();
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
      await removeDir();
    },
  };
}

/** Holds an exclusive lock on the SQLite file until it is killed. */
const LOCKER = `
  import { DatabaseSync } from 'node:sqlite';
  const db = new DatabaseSync(process.env.DB_PATH);
  db.exec('BEGIN EXCLUSIVE');
  setInterval(() => {}, 1000);
  console.log('locked');
`;

function sqliteDatabase(
  path: string,
  spillPath: string,
  removeDir: () => Promise<void>,
): SoakDatabase {
  let locker: Child | undefined;
  return {
    kind: 'sqlite',
    outage: 'SQLite locked by another process (BEGIN EXCLUSIVE)',
    url: `sqlite:${path}`,
    spillPath,
    async startOutage() {
      locker = startChild(LOCKER, process.cwd(), { DB_PATH: path });
      await locker.line('locked');
    },
    async endOutage() {
      locker?.process.kill('SIGTERM');
      await locker?.exited;
      locker = undefined;
    },
    async dispose() {
      await this.endOutage();
      await removeDir();
    },
  };
}
