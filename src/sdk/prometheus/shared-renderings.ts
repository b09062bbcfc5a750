import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExpositionEngine, Rendering } from './exposition/engine.js';
import type { ExpositionFormat } from './exposition/format.js';

/** The rejection of a scrape of an endpoint that was stopped (its process is shutting down). */
export class EndpointStoppedError extends Error {
  /** Says that the metrics are shut down and what a scraper should do. */
  constructor() {
    super(
      'the metrics of this process are shut down (it is stopping): nothing more is exposed; ' +
        'scrape the next instance',
    );
    this.name = 'EndpointStoppedError';
  }
}

/** A rendering under way and the requests waiting for it. */
interface SharedRendering {
  promise: Promise<Rendering>;
  waiters: number;
  abort: AbortController;
}

/** One collection and the renderings of it asked for while it is under way. */
interface Cycle {
  collected: Promise<ResourceMetrics>;
  renderings: Map<ExpositionFormat, SharedRendering>;
  pending: number;
}

/**
 * Shares work between concurrent scrapes: requests arriving while a collection or rendering is
 * under way wait for the same one (one collection, one rendering per format) instead of starting
 * their own. A request that gives up (timeout, client gone) stops waiting; a rendering nobody
 * waits for any more is abandoned at its next slice.
 */
export class SharedRenderings {
  readonly #collect: () => Promise<ResourceMetrics>;
  readonly #engine: ExpositionEngine;
  readonly #onRendered: (rendering: Rendering) => void;
  #cycle: Cycle | undefined;
  #stopped = false;

  /** `collect` reads the metrics; `onRendered` sees every finished rendering. */
  constructor(
    collect: () => Promise<ResourceMetrics>,
    engine: ExpositionEngine,
    onRendered: (rendering: Rendering) => void,
  ) {
    this.#collect = collect;
    this.#engine = engine;
    this.#onRendered = onRendered;
  }

  /** Whether {@link stop} was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Stops the renderings before the reader shuts down: from now on every rendering asked for
   * rejects with {@link EndpointStoppedError}, and so does one still waiting for a collection
   * the shutdown cuts short. Renderings already collected finish for those waiting for them.
   */
  stop(): void {
    this.#stopped = true;
  }

  /** The exposition in `format` of the current collection (started if none is under way). */
  rendering(format: ExpositionFormat, signal?: AbortSignal): Promise<Rendering> {
    signal?.throwIfAborted();
    if (this.#stopped) return Promise.reject(new EndpointStoppedError());
    this.#cycle ??= { collected: this.#collected(), renderings: new Map(), pending: 0 };
    const cycle = this.#cycle;
    let shared = cycle.renderings.get(format);
    if (shared === undefined) {
      shared = this.#start(cycle, format);
      cycle.renderings.set(format, shared);
    }
    return wait(shared, signal, () => {
      if (cycle.renderings.get(format) === shared) cycle.renderings.delete(format);
    });
  }

  async #collected(): Promise<ResourceMetrics> {
    try {
      return await this.#collect();
    } catch (error) {
      // A collection the shutdown cut short ("MetricReader is shutdown") is the stop, not a failure.
      throw this.#stopped ? new EndpointStoppedError() : error;
    }
  }

  #start(cycle: Cycle, format: ExpositionFormat): SharedRendering {
    const abort = new AbortController();
    const promise = cycle.collected.then((collected) =>
      this.#engine.render(collected, format, abort.signal),
    );
    cycle.pending++;
    const settled = (): void => {
      cycle.pending--;
      if (cycle.pending === 0 && this.#cycle === cycle) this.#cycle = undefined;
    };
    promise.then((rendering) => {
      settled();
      this.#onRendered(rendering);
    }, settled);
    return { promise, waiters: 0, abort };
  }
}

function wait(
  shared: SharedRendering,
  signal: AbortSignal | undefined,
  onAbandoned: () => void,
): Promise<Rendering> {
  shared.waiters++;
  return new Promise((resolve, reject) => {
    let waiting = true;
    const leave = (): boolean => {
      if (!waiting) return false;
      waiting = false;
      signal?.removeEventListener('abort', onAbort);
      shared.waiters--;
      return true;
    };
    const onAbort = (): void => {
      if (!leave()) return;
      if (shared.waiters === 0) {
        onAbandoned();
        shared.abort.abort(signal?.reason);
      }
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    shared.promise.then(
      (rendering) => {
        if (leave()) resolve(rendering);
      },
      (error: unknown) => {
        if (leave()) reject(error);
      },
    );
  });
}
