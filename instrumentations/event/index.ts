export {
  type BucketPreset,
  type DurationBuckets,
  EVENT_DURATION_BUCKETS,
  EVENT_DURATION_BUCKETS_FINE,
} from '../../src/core/buckets.js';
export type { EventType } from './event-types.js';
export { EventInstrumentation } from './instrumentation.js';
export type { GaugeReader } from './observed-gauge.js';
export * from './semconv.js';
export type { EventHandle, EventInstrumentationConfig, SequenceOutcome } from './types.js';
