import { ApiInstrumentation, FetchInstrumentation } from '../../instrumentations/api/index.js';
import { BatchInstrumentation } from '../../instrumentations/batch/index.js';
import { CustomMetrics } from '../../instrumentations/custom/index.js';
import { EventInstrumentation } from '../../instrumentations/event/index.js';
import { ModuleInstrumentation } from '../../instrumentations/module/index.js';
import { NotifyInstrumentation } from '../../instrumentations/notify/index.js';
import { RuntimeInstrumentation } from '../../instrumentations/runtime/index.js';
import { WorkflowInstrumentation } from '../../instrumentations/workflow/index.js';
import { createDefMetricWriter } from '../../src/def-metric/index.js';
import { type MetricsHandle, type StartMetricsOptions, startMetrics } from '../../src/sdk/index.js';
import { SessionStats } from '../../src/stats/session-stats.js';
import { startDemoTracing } from './tracing.js';
import { startApi } from './workloads/api.js';
import { startBatches } from './workloads/batches.js';
import { startBusinessMetrics } from './workloads/business.js';
import { startEvents } from './workloads/events.js';
import { startImports } from './workloads/imports.js';
import { startNotifications } from './workloads/notifications.js';
import { startWorkflows } from './workloads/workflows.js';
import type { Workload } from './workloads/workload.js';

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Passed to `startMetrics` (Prometheus on by default). */
  metrics?: StartMetricsOptions;
  /** def_metric URL. Default `OPMETER_DEF_METRIC_URL`, else `sqlite:./opmeter-demo.db`. */
  rowsUrl?: string;
  /** The def_metric spill journal, where rows wait while the database is unavailable (default `./opmeter-demo-spill.db`). */
  spillPath?: string;
}

/** A running demo. */
export interface Demo {
  readonly metrics: MetricsHandle;
  readonly stats: SessionStats;
  /** Stops the workloads, then flushes rows and exporters within `deadlineMs`. */
  stop(deadlineMs: number): Promise<{ errors: string[]; rowsWritten: number; rowsDropped: number }>;
}

/** Starts tracing, the metrics pipeline and the simulated workloads of every domain. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const stopTracing = startDemoTracing();
  const stats = new SessionStats();
  const metrics = await startMetrics({
    serviceName: 'opmeter-demo',
    prometheus: true,
    ...options.metrics,
  });
  const rows = createDefMetricWriter({
    url: options.rowsUrl ?? process.env.OPMETER_DEF_METRIC_URL ?? 'sqlite:./opmeter-demo.db',
    meterProvider: metrics.meterProvider,
    spill: { path: options.spillPath ?? './opmeter-demo-spill.db' },
  });
  const wiring = { meterProvider: metrics.meterProvider, stats, rows };
  const workloads: Workload[] = [
    startWorkflows(new WorkflowInstrumentation(wiring)),
    startEvents(new EventInstrumentation(wiring)),
    startNotifications(new NotifyInstrumentation(wiring)),
    startBatches(new BatchInstrumentation(wiring)),
    startImports(new ModuleInstrumentation({ ...wiring, module: 'dataimport' })),
    startBusinessMetrics(new CustomMetrics(wiring)),
    await startApi(new ApiInstrumentation(wiring), new FetchInstrumentation(wiring)),
  ];
  const runtime = new RuntimeInstrumentation(wiring);
  return {
    metrics,
    stats,
    async stop(deadlineMs) {
      await Promise.all(workloads.map((w) => w.stop()));
      runtime.disable();
      const results = await Promise.allSettled([
        rows.close({ deadlineMs }),
        metrics.shutdown({ deadlineMs }),
      ]);
      await stopTracing();
      const written = rows.stats();
      return {
        errors: results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])),
        rowsWritten: written.written,
        rowsDropped: written.dropped,
      };
    },
  };
}
