/** A fixed-capacity FIFO queue: `push` and `shift` are O(1) and never allocate. */
export class RingBuffer<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  /** Creates a queue holding at most `capacity` items. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`queue capacity must be a positive integer, got ${capacity}`);
    }
    this.slots = new Array<T | undefined>(capacity);
  }

  /** Number of items waiting. */
  get length(): number {
    return this.count;
  }

  /** Appends `item`; returns false (and keeps nothing) when the queue is full. */
  push(item: T): boolean {
    if (this.count === this.capacity) return false;
    this.slots[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    return true;
  }

  /** Removes and returns up to `max` items from the front, oldest first. */
  take(max: number): T[] {
    const n = Math.min(max, this.count);
    const items: T[] = new Array(n);
    for (let i = 0; i < n; i += 1) {
      items[i] = this.slots[this.head] as T;
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
    }
    this.count -= n;
    return items;
  }
}
