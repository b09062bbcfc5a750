import { startDemo } from './demo.js';

const SHUTDOWN_DEADLINE_MS = 5000;

/** `npm start`: runs the demo until SIGINT or SIGTERM, then prints the session statistics. */
async function main(): Promise<void> {
  const demo = await startDemo();
  console.log(`opmeter demo: Prometheus metrics at ${demo.metrics.prometheus?.url}`);
  if (demo.metrics.otlp) {
    console.log(
      `opmeter demo: pushing OTLP to ${demo.metrics.otlp.url} every ${demo.metrics.otlp.exportIntervalMs} ms`,
    );
  }
  console.log('opmeter demo: press Ctrl+C to stop and print the session statistics');
  const stop = async (signal: NodeJS.Signals) => {
    console.log(`\nopmeter demo: ${signal} received, shutting down`);
    const outcome = await demo.stop(SHUTDOWN_DEADLINE_MS);
    console.log(demo.stats.format());
    console.log(
      `opmeter demo: def_metric rows written ${outcome.rowsWritten}, dropped ${outcome.rowsDropped}`,
    );
    for (const error of outcome.errors) console.error(`opmeter demo: ${error}`);
    process.exitCode = outcome.errors.length > 0 ? 1 : 0;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`opmeter demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
