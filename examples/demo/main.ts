import { EventInstrumentation } from '../../instrumentations/event/index.js';
import { WorkflowInstrumentation } from '../../instrumentations/workflow/index.js';
import { createDefMetricWriter } from '../../src/def-metric/index.js';
import { startMetrics } from '../../src/sdk/index.js';
import { SessionStats } from '../../src/stats/session-stats.js';
import { startEvents } from './workloads/events.js';
import { startWorkflows } from './workloads/workflows.js';

const SHUTDOWN_DEADLINE_MS = 5000;

/** The opmeter demo: a simulated workload of every domain, until SIGINT or SIGTERM. */
async function main(): Promise<void> {
  const stats = new SessionStats();
  const metrics = await startMetrics({ serviceName: 'opmeter-demo', prometheus: true });
  const rows = createDefMetricWriter({
    url: process.env.OPMETER_DEF_METRIC_URL ?? 'sqlite:./opmeter-demo.db',
    meterProvider: metrics.meterProvider,
  });
  const wiring = { meterProvider: metrics.meterProvider, stats, rows };
  const workloads = [
    startWorkflows(new WorkflowInstrumentation(wiring)),
    startEvents(new EventInstrumentation(wiring)),
  ];

  console.log(`opmeter demo: Prometheus metrics at ${metrics.prometheus?.url}`);
  if (metrics.otlp)
    console.log(
      `opmeter demo: pushing OTLP to ${metrics.otlp.url} every ${metrics.otlp.exportIntervalMs} ms`,
    );
  console.log('opmeter demo: press Ctrl+C to stop and print the session statistics');

  const stop = async (signal: NodeJS.Signals) => {
    console.log(`\nopmeter demo: ${signal} received, shutting down`);
    await Promise.all(workloads.map((w) => w.stop()));
    console.log(stats.format());
    const results = await Promise.allSettled([
      rows.close({ deadlineMs: SHUTDOWN_DEADLINE_MS }),
      metrics.shutdown({ deadlineMs: SHUTDOWN_DEADLINE_MS }),
    ]);
    for (const result of results) {
      if (result.status === 'rejected') console.error(`opmeter demo: ${String(result.reason)}`);
    }
    const written = rows.stats();
    console.log(
      `opmeter demo: def_metric rows written ${written.written}, dropped ${written.dropped}`,
    );
    process.exitCode = results.some((r) => r.status === 'rejected') ? 1 : 0;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`opmeter demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
