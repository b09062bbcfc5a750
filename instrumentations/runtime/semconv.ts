// Names follow the OTel semantic conventions for Node.js, V8 and process metrics
// (experimental in @opentelemetry/semantic-conventions 1.45; copied here so that the
// instrumentation depends on @opentelemetry/api only).

/** Event-loop delay median over the last collection interval, seconds. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_P50 = 'nodejs.eventloop.delay.p50';
/** Event-loop delay 90th percentile over the last collection interval, seconds. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_P90 = 'nodejs.eventloop.delay.p90';
/** Event-loop delay 99th percentile over the last collection interval, seconds. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_P99 = 'nodejs.eventloop.delay.p99';
/** Minimum event-loop delay over the last collection interval, seconds. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_MIN = 'nodejs.eventloop.delay.min';
/** Maximum event-loop delay over the last collection interval, seconds. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_MAX = 'nodejs.eventloop.delay.max';
/** Mean event-loop delay over the last collection interval, seconds. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_MEAN = 'nodejs.eventloop.delay.mean';
/** Standard deviation of the event-loop delay over the last collection interval, seconds. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV = 'nodejs.eventloop.delay.stddev';
/** Share of time the event loop was busy since the previous collection, 0 to 1. */
export const METRIC_NODEJS_EVENTLOOP_UTILIZATION = 'nodejs.eventloop.utilization';
/** Cumulative time the event loop spent active or idle, seconds (by `nodejs.eventloop.state`). */
export const METRIC_NODEJS_EVENTLOOP_TIME = 'nodejs.eventloop.time';
/** Histogram of garbage-collection pauses, seconds (by `v8js.gc.type`). */
export const METRIC_V8JS_GC_DURATION = 'v8js.gc.duration';
/** V8 heap memory in use, bytes (by `v8js.heap.space.name`). */
export const METRIC_V8JS_MEMORY_HEAP_USED = 'v8js.memory.heap.used';
/** V8 heap memory reserved for each heap space, bytes (by `v8js.heap.space.name`). */
export const METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE = 'v8js.memory.heap.space.size';
/** Resident set size of the process, bytes. */
export const METRIC_PROCESS_MEMORY_USAGE = 'process.memory.usage';
/** Cumulative CPU time of the process, seconds (by `cpu.mode`). */
export const METRIC_PROCESS_CPU_TIME = 'process.cpu.time';
/** CPU time since the previous collection divided by elapsed time and available cores, 0 to 1. */
export const METRIC_PROCESS_CPU_UTILIZATION = 'process.cpu.utilization';

/** State of the event loop: `active` or `idle`. */
export const ATTR_NODEJS_EVENTLOOP_STATE = 'nodejs.eventloop.state';
/** Kind of garbage collection: `major`, `minor`, `incremental` or `weakcb`. */
export const ATTR_V8JS_GC_TYPE = 'v8js.gc.type';
/** V8 heap space (`new_space`, `old_space`, …), from `v8.getHeapSpaceStatistics()`. */
export const ATTR_V8JS_HEAP_SPACE_NAME = 'v8js.heap.space.name';
/** CPU mode: `user` or `system`. */
export const ATTR_CPU_MODE = 'cpu.mode';

/** `nodejs.eventloop.state` of time spent running callbacks. */
export const NODEJS_EVENTLOOP_STATE_VALUE_ACTIVE = 'active';
/** `nodejs.eventloop.state` of time spent waiting for I/O or timers. */
export const NODEJS_EVENTLOOP_STATE_VALUE_IDLE = 'idle';
/** `v8js.gc.type` of a full mark-sweep-compact collection. */
export const V8JS_GC_TYPE_VALUE_MAJOR = 'major';
/** `v8js.gc.type` of a young-generation scavenge. */
export const V8JS_GC_TYPE_VALUE_MINOR = 'minor';
/** `v8js.gc.type` of an incremental marking step. */
export const V8JS_GC_TYPE_VALUE_INCREMENTAL = 'incremental';
/** `v8js.gc.type` of weak-callback processing. */
export const V8JS_GC_TYPE_VALUE_WEAKCB = 'weakcb';
/** `cpu.mode` of time spent in user code. */
export const CPU_MODE_VALUE_USER = 'user';
/** `cpu.mode` of time spent in the kernel on behalf of the process. */
export const CPU_MODE_VALUE_SYSTEM = 'system';

/** 0.1 ms to 1 s: GC pauses (minor scavenges take well under a millisecond). */
export const GC_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
]);
/** Interval of the event-loop delay sampling timer, milliseconds (as `monitorEventLoopDelay`). */
export const DEFAULT_EVENT_LOOP_DELAY_RESOLUTION_MS = 10;
