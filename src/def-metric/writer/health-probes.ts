import type { HealthProbe } from './retry-backoff.js';

/** Probes in flight at once, at most: a probe hanging on a silent database holds one until its own timeout. */
export const MAX_OUTSTANDING_PROBES = 3;

/**
 * Thrown instead of a write's own error when a probe found the write lost (the database answered a
 * new connection but was not executing it, or it never got its connection): the database is up,
 * so the write is retried at once. Retryable.
 */
export class StalledWriteError extends Error {
  override readonly name = 'StalledWriteError';
  readonly code = 'OPMETER_STALLED_WRITE';

  constructor(readonly original: unknown) {
    super(
      'the write was lost on its way (a database that accepted it and never answered) while a ' +
        'health probe on a new connection got an answer; retrying at once',
    );
  }
}

/** The error of a statement `dropStalled()` dropped carries `stalled: true`. */
function isStalled(error: unknown): boolean {
  try {
    return (error as { stalled?: unknown } | null)?.stalled === true;
  } catch {
    return false;
  }
}

/** What {@link HealthProbes} needs of the dialect. */
export interface ProbedDialect {
  ping?(): Promise<void>;
  dropStalled?(minAgeMs: number): Promise<boolean>;
}

/**
 * The writer's health probes, each on a new connection. They tell the retry backoff when the
 * database answers again, without waiting for an earlier probe that hangs on a silent database;
 * and while a write (or migration) has not answered for an interval, they ask the database
 * whether it is executing it: a write whose bytes or answer a silent database swallowed is dropped
 * as soon as the database answers again, instead of holding the writer until its own timeout. A
 * write the database is executing, however slow, is left alone.
 */
export class HealthProbes {
  private outstanding = 0;

  /** Probes `dialect` every `everyMs` while a write waits. */
  constructor(
    private readonly dialect: ProbedDialect,
    private readonly everyMs: number,
  ) {}

  /** The retry backoff's probe, when the dialect has one. */
  get probe(): HealthProbe | undefined {
    const dialect = this.dialect;
    if (dialect.ping === undefined) return undefined;
    return () => this.limited(() => (dialect.ping as () => Promise<void>).call(dialect));
  }

  /**
   * Waits for `attempt` and rethrows its error; while it waits, asks every interval whether it
   * was lost, and when it was dropped for that, rethrows as a {@link StalledWriteError}.
   */
  async watch(attempt: Promise<void>): Promise<void> {
    const dialect = this.dialect;
    if (dialect.dropStalled === undefined) return attempt;
    const dropStalled = dialect.dropStalled.bind(dialect);
    let settled = false;
    const timer = setInterval(() => {
      if (!settled) this.limited(() => dropStalled(this.everyMs)).catch(() => undefined);
    }, this.everyMs);
    timer.unref();
    try {
      await attempt;
    } catch (error) {
      throw isStalled(error) ? new StalledWriteError(error) : error;
    } finally {
      settled = true;
      clearInterval(timer);
    }
  }

  /** Runs `probe` unless {@link MAX_OUTSTANDING_PROBES} are in flight (then rejects at once). */
  private limited<T>(probe: () => Promise<T>): Promise<T> {
    if (this.outstanding >= MAX_OUTSTANDING_PROBES) {
      return Promise.reject(new Error('health probes are still waiting for answers'));
    }
    this.outstanding += 1;
    let running: Promise<T>;
    try {
      running = probe();
    } catch (error) {
      running = Promise.reject(error);
    }
    return running.finally(() => {
      this.outstanding -= 1;
    });
  }
}
