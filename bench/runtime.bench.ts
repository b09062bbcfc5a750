import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { Bench } from 'tinybench';
import { RuntimeInstrumentation } from '../instrumentations/runtime/index.js';
import type { RuntimeInstrumentationConfig } from '../instrumentations/runtime/types.js';
import { WorkflowInstrumentation } from '../instrumentations/workflow/index.js';
import { isEntryPoint, median } from './harness.js';

/** A pull reader: `collect()` on demand, nothing exported. */
class CollectReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** The cost of one `collect()` of one set-up, median over rounds. */
export interface CollectCost {
  variant: string;
  /** Microseconds per `collect()` (median sample, median over rounds). */
  microsPerCollect: number;
  /** Microseconds added to the baseline's collect. */
  addedMicros: number;
  /** Median over rounds of this variant's time / the baseline's time. */
  ratio: number;
}

type Variant = { label: string; runtime: RuntimeInstrumentationConfig | 'disabled' | undefined };

const ONLY: RuntimeInstrumentationConfig = {
  eventLoopDelay: false,
  eventLoopUtilization: false,
  gc: false,
  memory: false,
  cpu: false,
};

const VARIANTS: readonly Variant[] = [
  { label: 'app metrics only (baseline)', runtime: undefined },
  { label: '+ runtime, all collectors', runtime: {} },
  { label: '+ runtime, then disable()', runtime: 'disabled' },
  { label: '+ event-loop delay only', runtime: { ...ONLY, eventLoopDelay: true } },
  { label: '+ event-loop utilization only', runtime: { ...ONLY, eventLoopUtilization: true } },
  { label: '+ GC histogram only', runtime: { ...ONLY, gc: true } },
  { label: '+ memory only', runtime: { ...ONLY, memory: true } },
  { label: '+ CPU only', runtime: { ...ONLY, cpu: true } },
];

/**
 * A provider with about 150 application series (50 workflow codes on three instruments) and,
 * per `variant`, the runtime instrumentation: what one scrape of a small service collects.
 */
function setUp(variant: Variant): { collect: () => Promise<unknown>; close: () => void } {
  const reader = new CollectReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const workflows = new WorkflowInstrumentation({ meterProvider });
  for (let code = 0; code < 50; code++) workflows.start(`W${code}`).end();
  let runtime: RuntimeInstrumentation | undefined;
  if (variant.runtime === 'disabled') {
    runtime = new RuntimeInstrumentation({ meterProvider });
    runtime.disable();
  } else if (variant.runtime !== undefined) {
    runtime = new RuntimeInstrumentation({ meterProvider, ...variant.runtime });
  }
  return { collect: () => reader.collect(), close: () => runtime?.disable() };
}

/** Median microseconds of one `collect()` of `variant`, set up alone (no other runtime is live). */
async function measure(variant: Variant, millisPerTask: number): Promise<number> {
  const setup = setUp(variant);
  try {
    const bench = new Bench({ time: millisPerTask, warmupTime: 50 });
    bench.add(variant.label, () => setup.collect());
    await bench.run();
    const result = bench.getTask(variant.label)?.result;
    if (result === undefined || !('latency' in result)) {
      throw new Error(`runtime bench: task "${variant.label}" did not complete`);
    }
    // The median collect, not the mean: robust to the scheduler preempting a few samples.
    return result.latency.p50 * 1000;
  } finally {
    setup.close();
  }
}

/**
 * Measures one `collect()` with and without runtime metrics, per collector. Each variant is set
 * up alone (so no other variant's timer or GC observer runs meanwhile), the order alternates over
 * `rounds`, and every ratio is taken against the baseline of the same round.
 */
export async function run(rounds = 7, millisPerTask = 250): Promise<CollectCost[]> {
  const micros = new Map<string, number[]>();
  const ratios = new Map<string, number[]>();
  const [baseline] = VARIANTS;
  if (baseline === undefined) return [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    const values = new Map<string, number>();
    for (const variant of order) values.set(variant.label, await measure(variant, millisPerTask));
    const base = values.get(baseline.label) ?? Number.NaN;
    for (const [label, value] of values) {
      micros.set(label, [...(micros.get(label) ?? []), value]);
      ratios.set(label, [...(ratios.get(label) ?? []), value / base]);
    }
  }
  const baseMicros = median(micros.get(baseline.label) ?? [Number.NaN]);
  return VARIANTS.map(({ label }) => {
    const value = median(micros.get(label) ?? [Number.NaN]);
    return {
      variant: label,
      microsPerCollect: value,
      addedMicros: value - baseMicros,
      ratio: median(ratios.get(label) ?? [Number.NaN]),
    };
  });
}

/** Renders the costs as a Markdown table. */
export function runtimeTable(costs: readonly CollectCost[]): string {
  const lines = [
    '| one collect() | µs | added µs | ratio |',
    '|---|---:|---:|---:|',
    ...costs.map(
      (c) =>
        `| ${c.variant} | ${c.microsPerCollect.toFixed(1)} | ${c.addedMicros.toFixed(1)} | ${c.ratio.toFixed(3)}× |`,
    ),
  ];
  return lines.join('\n');
}

if (isEntryPoint(import.meta.url)) console.log(runtimeTable(await run()));
