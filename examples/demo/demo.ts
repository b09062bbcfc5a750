import { RuntimeInstrumentation } from '../../instrumentations/runtime/index.js';
import { createDefMetricWriter } from '../../src/def-metric/index.js';
import { type MetricsHandle, type StartMetricsOptions, startMetrics } from '../../src/sdk/index.js';
import { SessionStats } from '../../src/stats/session-stats.js';
import { startDemoTracing } from './tracing.js';
import { startAllWorkloads } from './workloads/all.js';
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
  const workloads: Workload[] = await startAllWorkloads(wiring);
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
