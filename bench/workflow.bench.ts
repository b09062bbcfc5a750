import { performance } from 'node:perf_hooks';
import { WorkflowInstrumentation } from '../instrumentations/workflow/index.js';
import { WORKFLOW_DURATION_BUCKETS } from '../src/core/buckets.js';
import { setRecordingEnabled } from '../src/core/switch.js';
import { SessionStats } from '../src/stats/session-stats.js';
import {
  type Comparison,
  compare,
  comparisonTable,
  isEntryPoint,
  OPS_PER_ITERATION,
  type Task,
} from './harness.js';
import { type PeerLibrary, peerComparisons } from './peers.js';
import {
  benchMeterProvider,
  consume,
  inSampledSpan,
  microsecondOfWork,
  RingRowSink,
  wrapperVsDecoratorTasks,
} from './support.js';

/**
 * Hand-written OTel calls recording what one workflow run records: its duration (whose count is
 * the runs) and the runs in flight, kept the way a hand-written instrumentation keeps them, with
 * an up-down counter (+1, -1).
 */
export function rawOtelTask(): Task {
  const meter = benchMeterProvider().getMeter('raw');
  const duration = meter.createHistogram('workflow.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [...WORKFLOW_DURATION_BUCKETS] },
  });
  const active = meter.createUpDownCounter('workflow.active_runs');
  return [
    'raw OTel calls',
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++) {
        const start = performance.now();
        active.add(1, { 'workflow.code': 'NIGHTLY', package: 'billing' });
        const seconds = (performance.now() - start) / 1000;
        const attributes = { 'workflow.code': 'NIGHTLY', package: 'billing', outcome: 'success' };
        duration.record(seconds, attributes);
        active.add(-1, { 'workflow.code': 'NIGHTLY', package: 'billing' });
      }
    },
  ];
}

export function opmeterTask(label: string, withTargets: boolean): Task {
  const workflows = new WorkflowInstrumentation({
    meterProvider: benchMeterProvider(),
    ...(withTargets ? { stats: new SessionStats(), rows: new RingRowSink() } : {}),
  });
  return [
    label,
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++)
        workflows.start('NIGHTLY', { package: 'billing' }).end();
    },
  ];
}

/** What one workflow run records, through a Prometheus client library's own instruments. */
export function peerTask(peer: PeerLibrary): Task {
  const registry = peer.registry();
  const labelNames = ['workflow_code', 'package', 'outcome'];
  const duration = registry.histogram(
    'workflow_duration_seconds',
    labelNames,
    WORKFLOW_DURATION_BUCKETS,
  );
  const runs = registry.counter('workflow_runs_total', labelNames);
  const active = registry.gauge('workflow_active_runs', ['workflow_code', 'package']);
  return [
    peer.name,
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++) {
        const start = performance.now();
        active.inc({ workflow_code: 'NIGHTLY', package: 'billing' });
        const seconds = (performance.now() - start) / 1000;
        const labels = { workflow_code: 'NIGHTLY', package: 'billing', outcome: 'success' };
        duration.observe(labels, seconds);
        runs.inc(labels);
        active.dec({ workflow_code: 'NIGHTLY', package: 'billing' });
      }
    },
  ];
}

function mapFloorTask(): Task {
  const counts = new Map<string, number>();
  return [
    'Map increment floor',
    () => {
      for (let i = 0; i < OPS_PER_ITERATION; i++) {
        const start = performance.now();
        const key = 'NIGHTLY|billing|success';
        counts.set(key, (counts.get(key) ?? 0) + performance.now() - start);
      }
    },
  ];
}

function decoratorTasks(): [Task, Task] {
  const workflows = new WorkflowInstrumentation({ meterProvider: benchMeterProvider() });
  const wrapped = workflows.wrap('NIGHTLY', (n: number) => n + 1, { package: 'billing' });
  class Jobs {
    @workflows.measure('NIGHTLY', { package: 'billing' })
    step(n: number) {
      return n + 1;
    }
  }
  const jobs = new Jobs();
  return wrapperVsDecoratorTasks(
    (n) => wrapped(n),
    (n) => jobs.step(n),
  );
}

function offSwitchTasks(): [Task, Task] {
  const workflows = new WorkflowInstrumentation({ meterProvider: benchMeterProvider() });
  class Plain {
    work(n: number) {
      return microsecondOfWork(n);
    }
  }
  class Measured {
    @workflows.measure('NIGHTLY')
    work(n: number) {
      return microsecondOfWork(n);
    }
  }
  const plain = new Plain();
  const measured = new Measured();
  return [
    [
      'undecorated ~1 µs method',
      () => {
        for (let i = 0; i < OPS_PER_ITERATION; i++) consume(plain.work(i));
      },
    ],
    [
      'decorated, recording off',
      () => {
        for (let i = 0; i < OPS_PER_ITERATION; i++) consume(measured.work(i));
      },
    ],
  ];
}

/** Runs the workflow-operation benchmarks and returns their comparisons. */
export async function run(): Promise<Comparison[]> {
  const results = [
    await compare(
      'workflow op: opmeter vs raw OTel',
      rawOtelTask(),
      opmeterTask('opmeter start()/end()', false),
      1.15,
    ),
    await compare(
      'workflow op + stats + row sink vs raw OTel',
      rawOtelTask(),
      opmeterTask('opmeter + stats + rows', true),
      1.3,
    ),
    await compare('workflow op: decorator vs wrapper', ...decoratorTasks(), 1.05),
    await inSampledSpan(() =>
      compare(
        'workflow op in a sampled span: opmeter vs raw OTel',
        rawOtelTask(),
        opmeterTask('opmeter, exemplars kept', false),
      ),
    ),
    ...(await peerComparisons('workflow op', rawOtelTask, peerTask)),
    await compare('workflow op: Map floor vs raw OTel', rawOtelTask(), mapFloorTask()),
  ];
  setRecordingEnabled(false);
  try {
    results.push(await compare('off switch: decorated vs undecorated', ...offSwitchTasks(), 1.05));
  } finally {
    setRecordingEnabled(true);
  }
  return results;
}

if (isEntryPoint(import.meta.url)) console.log(comparisonTable(await run()));
