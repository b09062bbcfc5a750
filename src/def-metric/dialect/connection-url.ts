import { inspect } from 'node:util';
import { OpmeterConfigError } from '../../core/config-error.js';

/** Environment variable that selects the def_metric database. */
export const DEF_METRIC_URL_ENV = 'OPMETER_DEF_METRIC_URL';

/** The embedded default used when no URL is configured. */
export const DEFAULT_DEF_METRIC_URL = 'sqlite:./opmeter.db';

/** A MySQL/MariaDB connection target; the password is kept out of every printed form. */
export class MysqlConnectionUrl {
  readonly kind = 'mysql';
  readonly #password: string;

  constructor(
    readonly scheme: 'mysql' | 'mariadb',
    readonly host: string,
    readonly port: number,
    readonly user: string,
    password: string,
    readonly database: string,
    /** `?connectionLimit=` of the URL (default 4). */
    readonly connectionLimit: number,
  ) {
    this.#password = password;
  }

  /** The password, for the driver only: never log it. */
  password(): string {
    return this.#password;
  }

  /** The URL with the password replaced by `***`. */
  toString(): string {
    const user = this.user
      ? `${encodeURIComponent(this.user)}${this.#password ? ':***' : ''}@`
      : '';
    return `${this.scheme}://${user}${this.host}:${this.port}/${encodeURIComponent(this.database)}`;
  }

  /** JSON form: the redacted URL. */
  toJSON(): string {
    return this.toString();
  }

  /** `console.log` / `util.inspect` form: the redacted URL. */
  [inspect.custom](): string {
    return `MysqlConnectionUrl <${this.toString()}>`;
  }
}

/** An SQLite target: a file path or `:memory:`. */
export interface SqliteConnectionUrl {
  readonly kind: 'sqlite';
  readonly path: string;
}

/** A parsed `OPMETER_DEF_METRIC_URL`. */
export type ConnectionUrl = MysqlConnectionUrl | SqliteConnectionUrl;

const FORMATS =
  'use mysql://user:password@host:3306/database, mariadb://…, sqlite:./opmeter.db or sqlite::memory:';

/** Parses `mysql://…`, `mariadb://…`, `sqlite:<path>` or `sqlite::memory:`; errors never echo a password. */
export function parseConnectionUrl(text: string): ConnectionUrl {
  const trimmed = text.trim();
  if (trimmed.startsWith('sqlite:')) {
    const path = trimmed.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '')
      throw new OpmeterConfigError(`sqlite URL needs a file path or :memory:; ${FORMATS}`);
    return { kind: 'sqlite', path };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme !== 'mysql' && scheme !== 'mariadb') {
    throw new OpmeterConfigError(
      `unsupported database URL scheme '${scheme ?? '(none)'}:'; ${FORMATS}`,
    );
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new OpmeterConfigError(`malformed ${scheme} URL; ${FORMATS}`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw new OpmeterConfigError(
      `${scheme} URL needs a database name: ${scheme}://user@host:3306/<database>`,
    );
  }
  if (url.hostname === '') throw new OpmeterConfigError(`${scheme} URL needs a host; ${FORMATS}`);
  const port = url.port === '' ? 3306 : Number(url.port);
  const limitText = url.searchParams.get('connectionLimit');
  const connectionLimit = limitText === null ? 4 : Number(limitText);
  if (!Number.isInteger(connectionLimit) || connectionLimit < 1) {
    throw new OpmeterConfigError(`${scheme} URL: connectionLimit must be a positive integer`);
  }
  for (const key of url.searchParams.keys()) {
    if (key !== 'connectionLimit') {
      throw new OpmeterConfigError(
        `${scheme} URL: unknown parameter '${key}' (supported: connectionLimit)`,
      );
    }
  }
  return new MysqlConnectionUrl(
    scheme,
    url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    decodeURIComponent(url.username),
    decodeURIComponent(url.password),
    database,
    connectionLimit,
  );
}

/**
 * The connection target of `url`: a URL string parsed, or a connection URL given already parsed.
 * @throws OpmeterConfigError for anything else (`null`, a number), naming the formats accepted.
 */
export function connectionUrlOf(url: unknown): ConnectionUrl {
  if (typeof url === 'string') return parseConnectionUrl(url);
  if (url instanceof MysqlConnectionUrl) return url;
  const sqlite = url as Partial<SqliteConnectionUrl> | null;
  if (sqlite?.kind === 'sqlite' && typeof sqlite.path === 'string' && sqlite.path !== '') {
    return { kind: 'sqlite', path: sqlite.path };
  }
  const got = url === null ? 'null' : typeof url === 'object' ? 'an object' : typeof url;
  throw new OpmeterConfigError(`database url must be a URL string, got ${got}; ${FORMATS}`);
}

/** Reads `OPMETER_DEF_METRIC_URL` from `env`, defaulting to SQLite `./opmeter.db`. */
export function defMetricUrlFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectionUrl {
  const value = env[DEF_METRIC_URL_ENV]?.trim();
  try {
    return parseConnectionUrl(value ? value : DEFAULT_DEF_METRIC_URL);
  } catch (error) {
    throw new OpmeterConfigError(`${DEF_METRIC_URL_ENV}: ${(error as Error).message}`);
  }
}

/** A printable form of any connection URL, with credentials redacted. */
export function describeConnectionUrl(url: ConnectionUrl): string {
  return url.kind === 'sqlite' ? `sqlite:${url.path}` : url.toString();
}
