/** One runtime concern (event loop, GC, memory, CPU): its instruments and how to start/stop it. */
export interface RuntimeCollector {
  /** Starts collecting (registers callbacks, starts monitors); idempotent. */
  enable(): void;
  /** Stops collecting (removes callbacks, stops monitors); idempotent. */
  disable(): void;
}
