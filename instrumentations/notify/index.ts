export {
  type BucketPreset,
  type DurationBuckets,
  NOTIFY_DURATION_BUCKETS,
  NOTIFY_DURATION_BUCKETS_FINE,
} from '../../src/core/buckets.js';
export { MAX_CACHED_ATTRIBUTE_SETS } from './attribute-cache.js';
export { channelOf } from './channel.js';
export { NotifyInstrumentation } from './instrumentation.js';
export type { NotifyFields } from './notify-send.js';
export { NotifySend } from './notify-send.js';
export * from './semconv.js';
export type {
  NotifyChannel,
  NotifyInstrumentationConfig,
  NotifyRunOptions,
  NotifyStartOptions,
  QueueDepthOptions,
} from './types.js';
