import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { prometheusBinary } from '../support/prometheus-server.js';
import { type KnownNames, knownNames, ROOT } from './known-names.js';
import { parseLabelValues, promqlNames } from './promql-names.js';

interface Target {
  expr?: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
  fieldConfig?: { defaults?: { unit?: string } };
}
interface Variable {
  name: string;
  type: string;
  query?: string | { query?: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}

const DASHBOARD_DIR = join(ROOT, 'grafana', 'dashboards');
const files = readdirSync(DASHBOARD_DIR).filter((name) => name.endsWith('.json'));
const dashboards = files.map((file) => ({
  file,
  dashboard: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Dashboard,
}));
/** Grafana's reference to the dashboard's `datasource` variable. */
const DATASOURCE_VARIABLE = ['$', '{datasource}'].join('');
const UNITS = ['s', 'reqps', 'ops', 'percentunit', 'short', 'bytes', 'Bps'];

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

/** Every PromQL expression of a dashboard, with Grafana variables replaced by neutral values. */
function expressions(dashboard: Dashboard): string[] {
  const exprs = allPanels(dashboard.panels).flatMap((panel) =>
    (panel.targets ?? []).map((target) => target.expr ?? ''),
  );
  for (const variable of dashboard.templating.list) {
    const parsed = parseLabelValues(variableQuery(variable));
    if (parsed !== undefined) exprs.push(parsed.selector);
  }
  return exprs.map((expr) => expr.replaceAll('$__rate_interval', '5m').replace(/\$\w+/g, '.*'));
}

function variableQuery(variable: Variable): string {
  return typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
}

describe('Grafana dashboards', () => {
  let known: KnownNames;

  beforeAll(async () => {
    known = await knownNames();
  });

  it('cover the overview and every domain', () => {
    expect(files.sort()).toEqual(
      expect.arrayContaining(
        ['overview', 'workflow', 'event', 'api', 'notify', 'batch'].map(
          (name) => `opmeter-${name}.json`,
        ),
      ),
    );
  });

  it('have distinct uids and titles and a current schema', () => {
    const uids = dashboards.map(({ dashboard }) => dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    const titles = dashboards.map(({ dashboard }) => dashboard.title);
    expect(new Set(titles).size).toBe(titles.length);
    for (const { file, dashboard } of dashboards) {
      expect(dashboard.uid, file).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
      expect(dashboard.schemaVersion, file).toBeGreaterThanOrEqual(39);
    }
  });

  it.each(dashboards)(
    '$file: unique panel ids, known units, datasource variable',
    ({ dashboard }) => {
      const panels = allPanels(dashboard.panels);
      const ids = panels.map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
      const variables = dashboard.templating.list;
      expect(variables.find((v) => v.name === 'datasource')?.type).toBe('datasource');
      for (const panel of panels.filter((p) => p.type !== 'row')) {
        expect(['timeseries', 'stat'], panel.title).toContain(panel.type);
        expect(panel.datasource?.uid, panel.title).toBe(DATASOURCE_VARIABLE);
        expect(UNITS, panel.title).toContain(panel.fieldConfig?.defaults?.unit);
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      }
    },
  );

  it.each(dashboards)(
    '$file: every query names exported series, recording rules and known labels',
    ({ dashboard }) => {
      const unknown: string[] = [];
      const check = (where: string, expr: string) => {
        const names = promqlNames(expr);
        expect(names.metrics.size, `${where}: ${expr}`).toBeGreaterThan(0);
        for (const metric of names.metrics) {
          if (!known.exported.has(metric) && !known.recorded.has(metric)) {
            unknown.push(`${where}: metric ${metric}`);
          }
        }
        for (const label of names.labels) {
          if (!known.labels.has(label)) unknown.push(`${where}: label ${label}`);
        }
      };
      for (const panel of allPanels(dashboard.panels)) {
        for (const target of panel.targets ?? []) check(panel.title, target.expr ?? '');
      }
      for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
        const parsed = parseLabelValues(variableQuery(variable));
        expect(parsed, `variable ${variable.name}`).toBeDefined();
        check(`variable ${variable.name}`, parsed?.selector ?? '');
        if (!known.labels.has(parsed?.label ?? ''))
          unknown.push(`variable ${variable.name}: label`);
      }
      expect(unknown).toEqual([]);
    },
  );

  it.each(dashboards.filter(({ file }) => file !== 'opmeter-overview.json'))(
    '$file: filters by job and plots p50, p95 and p99 in seconds',
    ({ dashboard }) => {
      const variables = dashboard.templating.list.map((v) => v.name);
      expect(variables).toContain('job');
      const quantiles = allPanels(dashboard.panels).find((panel) =>
        ['p50', 'p95', 'p99'].every((q) =>
          panel.targets?.some((t) => t.expr?.includes(`:${q}_5m`)),
        ),
      );
      expect(quantiles?.type).toBe('timeseries');
      expect(quantiles?.fieldConfig?.defaults?.unit).toBe('s');
      for (const panel of allPanels(dashboard.panels)) {
        for (const target of panel.targets ?? []) {
          for (const selector of target.expr?.matchAll(/\{([^}]*)\}/g) ?? []) {
            if (selector[1]?.includes('alertstate')) continue;
            expect(selector[1], `${panel.title}: ${target.expr}`).toContain('job=~"$job"');
          }
        }
      }
    },
  );

  const promtool = prometheusBinary('promtool');

  it.skipIf(promtool === undefined)('parse as PromQL (promtool check rules)', () => {
    const rules = dashboards.flatMap(({ dashboard }) =>
      expressions(dashboard).map((expr, index) => ({
        record: `dashboard:${dashboard.uid.replaceAll('-', '_')}:expr${index}`,
        expr,
      })),
    );
    const dir = mkdtempSync(join(tmpdir(), 'opmeter-dashboards-'));
    try {
      const file = join(dir, 'dashboards.rules.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboards', rules }] }));
      const run = spawnSync(promtool ?? 'promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
      expect(run.stdout).toContain(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
