export { EVENT_DURATION_BUCKETS } from '../../src/core/buckets.js';
export type { EventType } from './event-types.js';
export { EventInstrumentation } from './instrumentation.js';
export type { GaugeReader } from './observed-gauge.js';
export * from './semconv.js';
export type { EventHandle, EventInstrumentationConfig, SequenceOutcome } from './types.js';
