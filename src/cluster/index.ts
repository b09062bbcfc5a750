export type { SessionStatsState } from '../stats/session-stats.js';
export { GAUGE_POLICIES, type GaugePolicy, MergedMetrics, type MergeSettings } from './merge.js';
export {
  type ClusterPrimaryHandle,
  type ClusterPrimaryOptions,
  startClusterPrimary,
} from './primary.js';
export * from './semconv.js';
export {
  type DeltaMessage,
  encodeDeltas,
  sealReport,
  type WireKind,
  type WireMetric,
  type WirePoint,
} from './wire.js';
export {
  type ClusterWorkerHandle,
  type ClusterWorkerOptions,
  startClusterWorker,
} from './worker.js';
export {
  ClusterWorkerReader,
  type ClusterWorkerReaderOptions,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_REPORT_INTERVAL_MS,
  defaultTransport,
  type ReportTransport,
} from './worker-reader.js';
