import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules, PROMETHEUS_DIR, ROOT } from './known-names.js';
import { buildMetricCatalogue } from './metric-catalogue.js';

/** Files where a `le` edge or a latency threshold may be written down. */
function shippedTexts(): { file: string; text: string }[] {
  const inDir = (dir: string, suffix: string) =>
    readdirSync(join(ROOT, dir))
      .filter((name) => name.endsWith(suffix))
      .map((name) => join(dir, name));
  const files = [
    ...inDir('prometheus', '.yml'),
    ...inDir('grafana/dashboards', '.json'),
    ...inDir('docs', '.md'),
    ...readdirSync(join(ROOT, 'instrumentations')).map((d) => `instrumentations/${d}/README.md`),
    'README.md',
  ];
  return files.flatMap((file) => {
    try {
      return [{ file, text: readFileSync(join(ROOT, file), 'utf8') }];
    } catch {
      return [];
    }
  });
}

interface Panel {
  title: string;
  targets?: { expr?: string }[];
  fieldConfig?: { defaults?: { thresholds?: { steps?: { value: number | null }[] } } };
}

let edges: Map<string, readonly number[]>;

beforeAll(async () => {
  edges = (await buildMetricCatalogue()).bucketEdges;
});

/** The histogram a `level:<histogram>:pNN_5m` recording rule reads, if `name` is one. */
function quantileRecordingOf(name: string): string | undefined {
  return /^[a-z_]+:([a-z_]+):p\d\d_5m$/.exec(name)?.[1];
}

describe('bucket edges the shipped rules, dashboards and docs rely on', () => {
  it('every le="…" on an opmeter histogram is an edge of its default boundaries', () => {
    const wrong: string[] = [];
    let seen = 0;
    for (const { file, text } of shippedTexts()) {
      for (const match of text.matchAll(/([a-z_]+)_bucket\{([^}]*)\}/g)) {
        const le = /\ble\s*=\s*\\?"([^"\\]+)\\?"/.exec(match[2] ?? '')?.[1];
        const defaults = edges.get(match[1] ?? '');
        if (le === undefined || le === '+Inf' || defaults === undefined) continue;
        seen++;
        if (!defaults.includes(Number(le))) wrong.push(`${file}: ${match[0]}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(seen).toBeGreaterThan(2);
  });

  it('alert thresholds on a recorded quantile are edges, so the alert decision is exact', () => {
    const wrong: string[] = [];
    for (const rule of loadRules().filter((r) => r.alert !== undefined)) {
      const match = /^([a-z_:0-9]+)\s*>\s*([\d.]+)$/.exec(rule.expr.trim());
      const histogram = quantileRecordingOf(match?.[1] ?? '');
      if (histogram === undefined) continue;
      const defaults = edges.get(histogram) ?? [];
      if (!defaults.includes(Number(match?.[2]))) wrong.push(`${rule.alert}: ${rule.expr}`);
    }
    expect(wrong).toEqual([]);
  });

  it('colour thresholds of dashboard panels showing one quantile are edges', () => {
    const wrong: string[] = [];
    for (const file of readdirSync(join(ROOT, 'grafana/dashboards'))) {
      const { panels } = JSON.parse(
        readFileSync(join(ROOT, 'grafana/dashboards', file), 'utf8'),
      ) as { panels: Panel[] };
      for (const panel of panels) {
        const read = new Set(
          (panel.targets ?? []).map((t) =>
            quantileRecordingOf(/([a-z_]+:[a-z_]+:p\d\d_5m)/.exec(t.expr ?? '')?.[1] ?? ''),
          ),
        );
        const [histogram] = read;
        if (read.size !== 1 || histogram === undefined) continue;
        const defaults = edges.get(histogram) ?? [];
        for (const { value } of panel.fieldConfig?.defaults?.thresholds?.steps ?? []) {
          if (value !== null && !defaults.includes(value)) wrong.push(`${file} ${panel.title}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the catalogue knows the default edges of every duration histogram', () => {
    for (const name of [
      'workflow_duration_seconds',
      'event_processing_duration_seconds',
      'http_server_request_duration_seconds',
      'http_client_request_duration_seconds',
      'notify_duration_seconds',
      'batch_file_duration_seconds',
      'module_operation_duration_seconds',
    ]) {
      expect(edges.get(name)?.length, name).toBeLessThanOrEqual(16);
    }
    expect(PROMETHEUS_DIR).toContain('prometheus');
  });
});
