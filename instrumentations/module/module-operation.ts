import { OperationHandle } from '../../src/core/operation-handle.js';
import type { OperationAttributes } from './attribute-cache.js';
import type { ModuleLengths } from './module-lengths.js';

/** Per-operation fields of a module operation. */
export interface ModuleFields {
  /** Operation identifier, stored in the table's code column. */
  readonly code: string;
  readonly package: string;
  /** The attribute sets and operations in flight of (operation, package), shared by every operation. */
  readonly series: OperationAttributes;
  target: string | undefined;
  cacheHits: number;
  apiCalls: number;
  /** Bytes of input files, or undefined when the operation read no file. */
  fileSizeBytes: number | undefined;
  /** The lengths the table's columns declare, which text values are cut to. */
  readonly lengths: ModuleLengths;
}

/**
 * One module operation in flight: report items, cache hits, API calls, file size and target,
 * then `end()` or `fail(error)`. Counts are recorded once, when the operation ends.
 */
export class ModuleOperation extends OperationHandle<ModuleFields> {
  /** Counts `count` cache hits (default 1). */
  cacheHit(count = 1): this {
    return this.addTo('cacheHits', count, 'cache_hits');
  }

  /** Counts `count` external API calls (default 1). */
  apiCall(count = 1): this {
    return this.addTo('apiCalls', count, 'api_calls');
  }

  /** Adds `bytes` of input file size (call once per file read). */
  fileSize(bytes: number): this {
    if (!this.isOpen('file_size')) return this;
    const n = this.recorder.guard.nonNegative(bytes, 'file_size');
    this.fields.fileSizeBytes = (this.fields.fileSizeBytes ?? 0) + n;
    return this;
  }

  /** Sets what the operation works on (a table, an entity type), the `TargetEntity` column. */
  target(entity: string): this {
    if (this.isOpen('target'))
      this.fields.target = this.recorder.guard.text(entity, 'target', this.fields.lengths.target);
    return this;
  }
}
