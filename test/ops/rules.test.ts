import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { prometheusBinary } from '../support/prometheus-server.js';
import {
  type KnownNames,
  knownNames,
  loadRules,
  PROMETHEUS_DIR,
  ruleFiles,
} from './known-names.js';
import { promqlNames } from './promql-names.js';

const promtool = prometheusBinary('promtool');
const SEVERITIES = ['critical', 'warning', 'info'];

function runPromtool(args: string[]): { status: number | null; output: string } {
  const run = spawnSync(promtool ?? 'promtool', args, { cwd: PROMETHEUS_DIR, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe.skipIf(promtool === undefined)('promtool on the shipped rules', () => {
  it.each(ruleFiles())('check rules accepts %s', (file) => {
    const { status, output } = runPromtool(['check', 'rules', file]);
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });

  // promtool evaluates every rule over the week of the analytics tests: 18 s alone on a slow
  // stretch of a shared 2-core machine, 49 s there beside the rest of the suite
  it.each(['opmeter.rules.test.yml', 'opmeter.analytics.rules.test.yml'])(
    'passes the unit tests of %s',
    (file) => {
      const { status, output } = runPromtool(['test', 'rules', file]);
      expect(status, output).toBe(0);
      expect(output).toContain('SUCCESS');
    },
    150_000,
  );

  it.each(['prometheus.compose.yml', '../prometheus.yml'])(
    'check config accepts %s and its rule files',
    (config) => {
      const { status, output } = runPromtool(['check', 'config', config]);
      expect(status, output).toBe(0);
      expect(output).toMatch(/SUCCESS: [1-9]\d* rules found/);
    },
  );
});

describe('the shipped rules', () => {
  const rules = loadRules();
  let known: KnownNames;

  beforeAll(async () => {
    known = await knownNames();
  });

  it('query only series opmeter exports or rules record, and only known labels', () => {
    const unknown: string[] = [];
    for (const rule of rules) {
      const names = promqlNames(rule.expr);
      for (const metric of names.metrics) {
        if (!known.exported.has(metric) && !known.recorded.has(metric)) {
          unknown.push(`${rule.record ?? rule.alert}: metric ${metric}`);
        }
      }
      for (const label of names.labels) {
        if (!known.labels.has(label)) unknown.push(`${rule.record ?? rule.alert}: label ${label}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  /**
   * Recordings that keep the name of what they count (`workflow_runs`) while reading the
   * duration histogram's `_count`, which replaced the counter that duplicated it.
   */
  const COUNTED_BY_HISTOGRAM: Record<string, string> = {
    workflow_runs: 'workflow_duration_seconds_count',
    event_processed: 'event_processing_duration_seconds_count',
    notify_sends: 'notify_duration_seconds_count',
    batch_files: 'batch_file_duration_seconds_count',
    module_operations: 'module_operation_duration_seconds_count',
  };

  it('name recordings level:metric:operations after the series they read', () => {
    const records = rules.filter((rule) => rule.record !== undefined);
    expect(records.length).toBeGreaterThan(30);
    for (const { record = '', expr } of records) {
      const [level, metric = '', operations, ...extra] = record.split(':');
      expect(extra, record).toEqual([]);
      expect(level, record).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(operations, record).toMatch(
        /^(p50|p95|p99|p999)_5m$|^p95_1h$|^p95_ratio_1w$|^(rate|increase|ratio_rate)(5m|1h)$|^rate5m_zscore1d$|^count$/,
      );
      const stem = metric.split('_').slice(0, 2).join('_');
      const counted = COUNTED_BY_HISTOGRAM[metric.replace(/_failed$/, '')] ?? stem;
      const reads = expr.includes(stem) || expr.includes(counted);
      expect(reads, `${record} reads no series named like ${metric}: ${expr}`).toBe(true);
    }
  });

  it('keep the job label in every aggregation of a recording rule', () => {
    for (const rule of rules) {
      if (rule.record === undefined) continue;
      for (const by of rule.expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
        expect(
          by[1]?.split(',').map((label) => label.trim()),
          rule.record,
        ).toContain('job');
      }
    }
  });

  it('give every alert a for:, a severity and annotations naming existing labels', () => {
    const alerts = rules.filter((rule) => rule.alert !== undefined);
    expect(alerts.map((a) => a.alert)).toEqual(
      expect.arrayContaining([
        'OpmeterWorkflowFailureRatioHigh',
        'OpmeterWorkflowSlow',
        'OpmeterEventErrorRatioHigh',
        'OpmeterEventSequenceGaps',
        'OpmeterApi5xxRatioHigh',
        'OpmeterApiLatencyHigh',
        'OpmeterNotificationFailures',
        'OpmeterRowsDropped',
        'OpmeterMetricOverflow',
        'OpmeterInputAdjustmentsSpiking',
        'OpmeterWorkflowLatencyRegression',
        'OpmeterApiLatencyRegression',
        'OpmeterWorkflowRateAnomaly',
        'OpmeterApiRateAnomaly',
      ]),
    );
    for (const alert of alerts) {
      expect(alert.for, alert.alert).toMatch(/^\d+[smh]$/);
      expect(SEVERITIES, alert.alert).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary, alert.alert).toBeTruthy();
      expect(alert.annotations?.description, alert.alert).toBeTruthy();
      const text = `${alert.annotations?.summary} ${alert.annotations?.description}`;
      for (const used of text.matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
        expect(known.labels.has(used[1] ?? ''), `${alert.alert}: $labels.${used[1]}`).toBe(true);
      }
    }
  });
});
