import { isMainThread, threadId } from 'node:worker_threads';
import { diag } from '@opentelemetry/api';
import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';
import { EXEMPLARS } from '../core/exemplars/default-reservoir.js';
import { checkInteger } from '../sdk/check.js';
import { DeltaEncoder } from './encoder.js';
import { DEFAULT_MAX_EXEMPLARS, exemplarExtras } from './exemplars.js';
import { THREAD_CHANNEL, THREAD_REQUEST_CHANNEL } from './semconv.js';
import { postOnce } from './thread-channel.js';
import { type DeltaMessage, MIN_MESSAGE_BYTES, sealReport } from './wire.js';

/** Where a worker's reports go: the cluster primary over IPC, or the main thread. */
export interface ReportTransport {
  /** The worker's name in the primary's figures: `process:<pid>` or `thread:<pid>/<threadId>`. */
  readonly source: string;
  /** Sends one message; false when it could not be sent (channel closed). */
  send(message: object): boolean;
  /** Calls `listener` with every message from the primary; returns a function that stops it. */
  listen(listener: (message: unknown) => void): () => void;
  /** Releases the channel. */
  close(): void;
}

/**
 * The transport of this process or thread: a BroadcastChannel only the main thread listens on in a
 * worker thread, IPC to the parent (`process.send`) in a cluster worker or forked child.
 * @throws Error when neither is available (the main thread of a process without IPC).
 */
export function defaultTransport(): ReportTransport {
  if (!isMainThread) return threadTransport();
  const send = process.send?.bind(process);
  if (send === undefined || !process.connected) {
    throw new Error(
      'opmeter cluster worker: no IPC channel to a primary (this is neither a cluster worker, a forked child nor a worker thread): start it with cluster.fork() or new Worker(), or use startClusterPrimary/startMetrics here',
    );
  }
  return {
    source: `process:${process.pid}`,
    send: (message) => process.connected && send(message, undefined, undefined, ignore),
    listen: (listener) => {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
    close: () => undefined,
  };
}

/** A send that failed because the primary went away is not an error of the worker. */
function ignore(): void {}

/**
 * A worker thread's transport. Reports go to the report channel, which only the primary keeps
 * open: the thread opens it for one message and closes it at once, so it never receives the other
 * threads' reports (each report is delivered once, to the primary, whatever the thread count).
 * Requests from the primary arrive on a channel of their own, opened only when listened to.
 */
function threadTransport(): ReportTransport {
  let closed = false;
  let requests: InstanceType<typeof BroadcastChannel> | undefined;
  return {
    source: `thread:${process.pid}/${threadId}`,
    send: (message) => {
      if (closed) return false;
      postOnce(THREAD_CHANNEL, message);
      return true;
    },
    listen: (listener) => {
      if (requests === undefined) {
        requests = new BroadcastChannel(THREAD_REQUEST_CHANNEL);
        (requests as { unref?: () => void }).unref?.();
      }
      const channel = requests;
      const onMessage = (event: Event) => listener((event as MessageEvent).data);
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
    close: () => {
      closed = true;
      requests?.close();
    },
  };
}

/** Options of a {@link ClusterWorkerReader}. */
export interface ClusterWorkerReaderOptions {
  /** Report period in milliseconds. Default 1000. */
  intervalMs?: number;
  /** Longest report (JSON length); a larger collection is split into several. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Most series kept per instrument between reports. Default 2000. */
  cardinalityLimit?: number;
  /** Where reports go. Default {@link defaultTransport}. */
  transport?: ReportTransport;
  /**
   * Most exemplars (of opmeter's instrumentations, recorded inside sampled spans) sent with one
   * report interval, the newest first; 0 sends none. Default 100.
   */
  maxExemplars?: number;
}

/** Default report period of a worker. */
export const DEFAULT_REPORT_INTERVAL_MS = 1000;
/** Default longest report. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * A metric reader with delta temporality that sends what changed since its previous report to
 * the cluster primary (or the main thread) every `intervalMs`, on `forceFlush()` and on
 * `shutdown()`; an interval with no change sends an empty report, which tells the primary the
 * worker is alive. Add it to any MeterProvider (an application's own NodeSDK included).
 */
export class ClusterWorkerReader extends MetricReader {
  readonly transport: ReportTransport;
  readonly #encoder: DeltaEncoder;
  readonly #maxExemplars: number;
  readonly #exemplarBytes: number;
  readonly #timer: NodeJS.Timeout;
  #seq = 1;
  #sending: Promise<void> = Promise.resolve();
  #skipped = 0;

  /**
   * Creates the reader and starts its timer (which never keeps the process alive).
   * @throws OpmeterConfigError for an invalid option; Error when there is no primary to report to.
   */
  constructor(options: ClusterWorkerReaderOptions = {}) {
    const limit = checkInteger(
      options.cardinalityLimit ?? 2000,
      1,
      Number.MAX_SAFE_INTEGER,
      'cluster worker cardinalityLimit',
    );
    super({
      aggregationTemporalitySelector: () => AggregationTemporality.DELTA,
      cardinalitySelector: () => limit,
    });
    const intervalMs = checkInteger(
      options.intervalMs ?? DEFAULT_REPORT_INTERVAL_MS,
      10,
      2 ** 31 - 1,
      'cluster worker intervalMs',
    );
    const maxBytes = checkInteger(
      options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      MIN_MESSAGE_BYTES,
      2 ** 30,
      'cluster worker maxMessageBytes',
    );
    this.transport = options.transport ?? defaultTransport();
    this.#encoder = new DeltaEncoder(this.transport.source, maxBytes, limit);
    this.#maxExemplars = checkInteger(
      options.maxExemplars ?? DEFAULT_MAX_EXEMPLARS,
      0,
      10_000,
      'cluster worker maxExemplars',
    );
    this.#exemplarBytes = Math.floor(maxBytes / 4);
    this.#timer = setInterval(() => void this.report(), intervalMs);
    this.#timer.unref();
  }

  /** Data points left out so far (exponential histograms, which the primary cannot add). */
  get skippedPoints(): number {
    return this.#skipped;
  }

  /** Collects the deltas and sends them now (after any report under way). */
  report(): Promise<void> {
    this.#sending = this.#sending
      .then(() => this.#report())
      .catch((error: unknown) => {
        diag.error('opmeter: cluster worker report failed', error);
      });
    return this.#sending;
  }

  async #report(): Promise<void> {
    const { resourceMetrics, errors } = await this.collect();
    if (errors.length > 0) diag.error('opmeter: errors while collecting metrics', ...errors);
    const { source } = this.transport;
    const extras = exemplarExtras(EXEMPLARS, this.#maxExemplars, this.#exemplarBytes);
    const encoded = this.#encoder.encode(resourceMetrics, this.#seq, extras);
    this.#skipped += encoded.skipped;
    const reports: DeltaMessage[] =
      encoded.reports.length > 0
        ? encoded.reports
        : [sealReport(source, this.#seq, this.#encoder.epoch, [])];
    this.#seq += reports.length;
    for (const report of reports) this.transport.send(report);
  }

  /** Sends what changed now. */
  protected override async onForceFlush(): Promise<void> {
    await this.report();
  }

  /** Stops the timer and sends the last report. */
  protected override async onShutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.report();
    this.transport.close();
  }
}
