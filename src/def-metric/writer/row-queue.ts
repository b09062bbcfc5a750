import type { DefMetricRow } from '../../core/row-sink.js';
import { RingBuffer } from './ring-buffer.js';

/** A row waiting to be written, with the time it was enqueued. */
export interface QueuedRow {
  readonly table: string;
  readonly row: DefMetricRow;
  readonly at: number;
}

/** The writer's bounded queue: when it is full a new row is refused and the waiting ones are kept. */
export class RowQueue {
  private readonly buffer: RingBuffer<QueuedRow>;

  /** Creates a queue holding at most `capacity` rows. */
  constructor(capacity: number) {
    this.buffer = new RingBuffer(capacity);
  }

  /** The most rows that may wait. */
  get capacity(): number {
    return this.buffer.capacity;
  }

  /** Rows waiting. */
  get length(): number {
    return this.buffer.length;
  }

  /** Adds `row` for `table`, stamped with the current time; O(1); false (row not kept) when full. */
  offer(table: string, row: DefMetricRow): boolean {
    return this.buffer.push({ table, row, at: Date.now() });
  }

  /** Removes up to `max` rows, oldest first. */
  take(max: number): QueuedRow[] {
    return this.buffer.take(max);
  }

  /** Removes every waiting row, oldest first. */
  takeAll(): QueuedRow[] {
    return this.buffer.take(this.buffer.length);
  }
}
