import { isMainThread, threadId } from 'node:worker_threads';
import { diag } from '@opentelemetry/api';
import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';
import { checkInteger, MAX_TIMER_MS } from '../core/config-validation.js';
import { EXEMPLARS } from '../core/exemplars/default-reservoir.js';
import { DeltaEncoder } from './encoder.js';
import { DEFAULT_MAX_EXEMPLARS, exemplarExtras } from './exemplars.js';
import { THREAD_ANSWER_CHANNEL, THREAD_CHANNEL, THREAD_REQUEST_CHANNEL } from './semconv.js';
import { postOnce } from './thread-channel.js';
import {
  type AnswerMessage,
  type DeltaMessage,
  isAnswer,
  MIN_MESSAGE_BYTES,
  sealReport,
} from './wire.js';

/** Where a worker's reports go: the cluster primary over IPC, or the main thread. */
export interface ReportTransport {
  /** The worker's name in the primary's figures: `process:<pid>` or `thread:<pid>/<threadId>`. */
  readonly source: string;
  /** Sends one message; false when it could not be sent (channel closed). */
  send(message: object): boolean;
  /**
   * Calls `listener` with every message from the primary; returns a function that stops it. A
   * `weak` listener does not keep the process alive (the reader's own, which listens for answers
   * all the time); any other one may.
   */
  listen(listener: (message: unknown) => void, options?: { weak?: boolean }): () => void;
  /** Releases the channel. */
  close(): void;
}

/**
 * Longest wait for the primary's answer: `forceFlush()` and `shutdown()` wait this long at most
 * for the answers to what they sent (the reports stay held: a later answer or report settles them).
 */
export const ANSWER_TIMEOUT_MS = 1000;
/** Sends of one flush at most: the last report, then what unmerged reports gave back. */
const FLUSH_ROUNDS = 3;

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
    // `process.send` returns false also when the message is queued behind others (backpressure):
    // only a closed channel means it was not sent.
    send: (message) => {
      if (!process.connected) return false;
      send(message, undefined, undefined, ignore);
      return true;
    },
    listen: (listener, options) => {
      process.on('message', listener);
      if (!options?.weak) return () => process.off('message', listener);
      ipc.weak++;
      watchIpcListeners();
      return () => {
        ipc.weak--;
        process.off('message', listener);
      };
    },
    close: () => undefined,
  };
}

/** Weak 'message' listeners of the IPC channel (readers'), and whether its listeners are watched. */
const ipc = { weak: 0, watching: false };

/**
 * Refs the IPC channel while a 'message' or 'disconnect' listener other than the weak ones listens,
 * unrefs it otherwise. Node counts 'message' and 'disconnect' listeners itself only until the channel is
 * ref'd or unref'd explicitly, so from the first weak listener on this keeps the count instead.
 */
function refIpc(): void {
  const others = process.listenerCount('message') - ipc.weak + process.listenerCount('disconnect');
  if (others > 0) process.channel?.ref();
  else process.channel?.unref();
}

/** Recounts the IPC channel's keepers whenever a 'message' or 'disconnect' listener comes or goes. */
function watchIpcListeners(): void {
  refIpc();
  if (ipc.watching) return;
  ipc.watching = true;
  const changed = (name: string | symbol) => {
    // 'newListener' fires before the listener is added: count once it is.
    if (name === 'message' || name === 'disconnect') queueMicrotask(refIpc);
  };
  process.on('newListener', changed);
  process.on('removeListener', changed);
}

/** A send that failed because the primary went away is not an error of the worker. */
function ignore(): void {}

/**
 * A worker thread's transport. Reports go to the report channel, which only the primary keeps
 * open: the thread opens it for one message and closes it at once, so it never receives the other
 * threads' reports (each report is delivered once, to the primary, whatever the thread count).
 * The primary's messages arrive on two channels opened only when listened to: requests to every
 * thread on one, answers to this thread's reports on one named after it.
 */
function threadTransport(): ReportTransport {
  const source = `thread:${process.pid}/${threadId}`;
  let closed = false;
  let channels: Array<InstanceType<typeof BroadcastChannel>> | undefined;
  return {
    source,
    send: (message) => {
      if (closed) return false;
      postOnce(THREAD_CHANNEL, message);
      return true;
    },
    listen: (listener) => {
      channels ??= [THREAD_REQUEST_CHANNEL, `${THREAD_ANSWER_CHANNEL}${source}`].map((name) => {
        const channel = new BroadcastChannel(name);
        (channel as { unref?: () => void }).unref?.();
        return channel;
      });
      const opened = channels;
      const onMessage = (event: Event) => listener((event as MessageEvent).data);
      for (const channel of opened) channel.addEventListener('message', onMessage);
      return () => {
        for (const channel of opened) channel.removeEventListener('message', onMessage);
      };
    },
    close: () => {
      closed = true;
      for (const channel of channels ?? []) channel.close();
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
 * worker is alive. The primary answers every report; what it did not merge (it was not listening
 * yet, refused the report, or did not know its ids) is sent again with the next report, and
 * `forceFlush()` and `shutdown()` wait for the answers (at most {@link ANSWER_TIMEOUT_MS} each).
 * Add it to any MeterProvider (an application's own NodeSDK included).
 */
export class ClusterWorkerReader extends MetricReader {
  readonly transport: ReportTransport;
  readonly #encoder: DeltaEncoder;
  readonly #maxExemplars: number;
  readonly #timer: NodeJS.Timeout;
  #seq = 1;
  #sending: Promise<void> = Promise.resolve();
  #skipped = 0;
  /** Highest seq the primary answered. */
  #answeredSeq = 0;
  readonly #waiters = new Set<() => void>();
  #unlisten: (() => void) | undefined;

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
      MAX_TIMER_MS,
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
    this.#timer = setInterval(() => void this.report(), intervalMs);
    this.#timer.unref();
    // Weak: listening for answers never keeps the process alive, only a flush waiting for them.
    this.#unlisten = this.transport.listen(
      (message) => {
        if (isAnswer(message)) this.#answered(message);
      },
      { weak: true },
    );
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
    // A quarter of the report limit, which a `too_large` answer may have lowered.
    const exemplarBytes = Math.floor(this.#encoder.maxBytes / 4);
    const extras = exemplarExtras(EXEMPLARS, this.#maxExemplars, exemplarBytes);
    const encoded = this.#encoder.encode(resourceMetrics, this.#seq, extras);
    this.#skipped += encoded.skipped;
    const reports: DeltaMessage[] =
      encoded.reports.length > 0
        ? encoded.reports
        : [sealReport(source, this.#seq, this.#encoder.epoch, [])];
    this.#seq += reports.length;
    for (const report of reports) {
      if (!this.transport.send(report)) this.#encoder.unsent(report.seq);
    }
  }

  /**
   * Sends what changed and waits until the primary has answered it, sending again what it gives
   * back (at most {@link ANSWER_TIMEOUT_MS} per round): after it the primary holds everything this
   * worker recorded, when a primary answers.
   */
  async flush(): Promise<void> {
    for (let round = 0; round < FLUSH_ROUNDS; round++) {
      await this.report();
      if (!(await this.#answeredUpTo(this.#seq - 1))) return;
      if (!this.#encoder.pending && this.#encoder.unanswered === 0) return;
    }
  }

  /** Sends what changed now and waits for the answers. */
  protected override async onForceFlush(): Promise<void> {
    await this.flush();
  }

  /** Stops the timer, sends the last report and waits for its answer. */
  protected override async onShutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    this.#stopListening();
    this.transport.close();
  }

  #stopListening(): void {
    this.#unlisten?.();
    this.#unlisten = undefined;
  }

  #answered(answer: AnswerMessage): void {
    this.#encoder.answered(answer);
    this.#answeredSeq = Math.max(this.#answeredSeq, answer.seq);
    for (const wake of [...this.#waiters]) wake();
  }

  /** Whether report `seq` is answered within {@link ANSWER_TIMEOUT_MS}. */
  #answeredUpTo(seq: number): Promise<boolean> {
    if (this.#answeredSeq >= seq) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (answered: boolean) => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve(answered);
      };
      const wake = () => {
        if (this.#answeredSeq >= seq) done(true);
      };
      // Not unref'd: the process stays up for the answer to its last report (the reader's own
      // listener does not hold it).
      const timer = setTimeout(() => done(false), ANSWER_TIMEOUT_MS);
      this.#waiters.add(wake);
    });
  }
}
