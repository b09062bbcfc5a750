import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { seriesKey } from '../../src/core/series-key.js';

/** A point on a path of tags: the value of the tag set that ends here, and the tags that follow. */
interface PathNode<V> {
  value: V | undefined;
  next: Map<string, Map<AttributeValue, PathNode<V>>> | undefined;
}

/**
 * Values by tag set, found on the recording path without building a key string. It takes tags as
 * `normaliseTags()` gives them (a plain object of opmeter's own) and follows them in the order
 * the object holds them: one map lookup per name and one per value (a number and the same digits
 * as a string stay apart, as they do in OTel). A path seen for the first time is resolved once by
 * the set's canonical key ({@link seriesKey}), so the same tags in another order find the same
 * value, and then kept. Memory is bounded: once the kept paths hold `maxNodes` tags in all, a
 * new path is resolved by its canonical key on every lookup instead of being kept.
 */
export class TagSetIndex<V> {
  private readonly root: PathNode<V> = { value: undefined, next: undefined };
  private readonly byKey = new Map<string, V>();
  private nodes = 0;

  /** Creates an empty index whose kept paths hold at most `maxNodes` tags in all. */
  constructor(private readonly maxNodes: number) {}

  /** Number of distinct tag sets held. */
  get size(): number {
    return this.byKey.size;
  }

  /** The value of the tag set `tags` (none for undefined or `{}`), if one is held. */
  get(tags: Attributes | undefined): V | undefined {
    const found = this.nodeOf(tags)?.value;
    if (found !== undefined) return found;
    const value = this.byKey.get(seriesKey(tags));
    if (value !== undefined) this.keepPath(tags, value);
    return value;
  }

  /** Holds `value` for the tag set `tags`, which {@link get} does not find yet. */
  add(tags: Attributes | undefined, value: V): void {
    this.byKey.set(seriesKey(tags), value);
    this.keepPath(tags, value);
  }

  /** Every value held, in the order its tag set was first added. */
  values(): IterableIterator<V> {
    return this.byKey.values();
  }

  /** The node the path of `tags` ends at, if it is kept. */
  private nodeOf(tags: Attributes | undefined): PathNode<V> | undefined {
    let node: PathNode<V> | undefined = this.root;
    if (tags === undefined) return node;
    for (const name in tags) {
      node = node.next?.get(name)?.get(tags[name] as AttributeValue);
      if (node === undefined) return undefined;
    }
    return node;
  }

  /** Keeps the path of `tags` to `value`, unless its tags would not fit in `maxNodes`. */
  private keepPath(tags: Attributes | undefined, value: V): void {
    if (tags !== undefined && this.nodes + Object.keys(tags).length > this.maxNodes) return;
    let node = this.root;
    if (tags !== undefined) {
      for (const name in tags) {
        node.next ??= new Map();
        let values = node.next.get(name);
        if (values === undefined) {
          values = new Map();
          node.next.set(name, values);
        }
        const tagValue = tags[name] as AttributeValue;
        let child = values.get(tagValue);
        if (child === undefined) {
          child = { value: undefined, next: undefined };
          values.set(tagValue, child);
          this.nodes++;
        }
        node = child;
      }
    }
    node.value = value;
  }
}
