export type { SessionStatsState } from '../stats/session-stats.js';
export { DeltaEncoder, type EncodedDeltas, EPOCH_REPORTS, MAX_UNANSWERED } from './encoder.js';
export {
  type ApplyResult,
  GAUGE_POLICIES,
  type GaugePolicy,
  MergedMetrics,
  type MergeSettings,
} from './merge.js';
export {
  type ClusterPrimaryHandle,
  type ClusterPrimaryOptions,
  startClusterPrimary,
} from './primary.js';
export * from './semconv.js';
export {
  type AnswerMessage,
  type AnswerRefusal,
  answerTo,
  type DeltaMessage,
  sealReport,
  type WireDescriptor,
  type WireExemplar,
  type WireKind,
  type WireMetric,
  type WireNumber,
} from './wire.js';
export {
  type ClusterWorkerHandle,
  type ClusterWorkerOptions,
  startClusterWorker,
} from './worker.js';
export {
  ANSWER_TIMEOUT_MS,
  ClusterWorkerReader,
  type ClusterWorkerReaderOptions,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_REPORT_INTERVAL_MS,
  defaultTransport,
  type ReportTransport,
} from './worker-reader.js';
