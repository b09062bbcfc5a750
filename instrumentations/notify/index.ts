export {
  type BucketPreset,
  type DurationBuckets,
  NOTIFY_DURATION_BUCKETS,
  NOTIFY_DURATION_BUCKETS_FINE,
} from '../../src/core/buckets.js';
export { channelOf, MAX_CACHED_ATTRIBUTE_SETS, NotifyInstrumentation } from './instrumentation.js';
export * from './notify-send.js';
export * from './semconv.js';
