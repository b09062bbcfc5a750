import { comparisonTable } from './harness.js';

/** A benchmark suite: its name and how to run it to a Markdown section. */
interface Suite {
  name: string;
  run(): Promise<string>;
}

const SUITES: Suite[] = [
  {
    name: 'workflow',
    run: async () => comparisonTable(await (await import('./workflow.bench.js')).run()),
  },
  {
    name: 'event',
    run: async () => comparisonTable(await (await import('./event.bench.js')).run()),
  },
  {
    name: 'custom',
    run: async () => comparisonTable(await (await import('./custom.bench.js')).run()),
  },
  {
    name: 'scrape',
    run: async () => {
      const scrape = await import('./scrape.bench.js');
      return scrape.scrapeTable(await scrape.run());
    },
  },
  {
    name: 'def-metric',
    run: async () => comparisonTable(await (await import('./def-metric.bench.js')).run()),
  },
  {
    name: 'http',
    run: async () => {
      const http = await import('./http.bench.js');
      return http.httpTable(await http.run());
    },
  },
  {
    name: 'op-instructions',
    run: async () => {
      const counted = await import('./op-instructions.bench.js');
      return counted.opInstructionTable(await counted.run());
    },
  },
  {
    name: 'http-instructions',
    run: async () => {
      const counted = await import('./http-instructions.bench.js');
      return counted.instructionTable(await counted.run());
    },
  },
  {
    name: 'cluster',
    run: async () => {
      const clusterBench = await import('./cluster.bench.js');
      return clusterBench.clusterTable(await clusterBench.run());
    },
  },
  {
    name: 'runtime',
    run: async () => {
      const runtime = await import('./runtime.bench.js');
      return runtime.runtimeTable(await runtime.run());
    },
  },
];

/**
 * `npm run bench [suite…]`: runs every suite (or the named ones) and prints Markdown sections
 * ready for BENCHMARKS.md. Every figure is a ratio measured in the same run.
 */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length > 0) {
    console.error(
      `bench: unknown suite ${unknown.join(', ')}; choose from ${SUITES.map((s) => s.name).join(', ')}`,
    );
    process.exitCode = 2;
    return;
  }
  console.log(`Node ${process.version}, ${new Date().toISOString()}\n`);
  for (const suite of SUITES) {
    if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
    console.log(`## ${suite.name}\n\n${await suite.run()}\n`);
  }
}

await main();
