import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildMetricCatalogue, SDK_AND_SCRAPE_LABELS } from './metric-catalogue.js';

/** Repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');
/** Folder of the shipped Prometheus rule files. */
export const PROMETHEUS_DIR = join(ROOT, 'prometheus');

/** A rule of a Prometheus rule file, as written. */
export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Series Prometheus itself creates, which dashboards may query next to opmeter's. */
const PROMETHEUS_SERIES = ['ALERTS', 'ALERTS_FOR_STATE', 'up', 'target_info'];
/** Labels of `ALERTS`, plus `metric`, which the overflow rule copies from `__name__`. */
const RULE_LABELS = ['__name__', 'alertname', 'alertstate', 'severity', 'metric'];

/** Paths of every shipped rule file (`prometheus/*.rules.yml`; unit tests are `*.rules.test.yml`). */
export function ruleFiles(): string[] {
  return readdirSync(PROMETHEUS_DIR)
    .filter((name) => name.endsWith('.rules.yml'))
    .map((name) => join(PROMETHEUS_DIR, name));
}

/** Every rule of every shipped rule file. */
export function loadRules(): Rule[] {
  return ruleFiles().flatMap((file) => {
    const doc = parse(readFileSync(file, 'utf8')) as { groups: { rules: Rule[] }[] };
    return doc.groups.flatMap((group) => group.rules);
  });
}

/** Names a shipped PromQL expression may use. */
export interface KnownNames {
  /** Series opmeter exports (from the instruments it creates) and series Prometheus creates. */
  exported: Set<string>;
  /** Names of the shipped recording rules. */
  recorded: Set<string>;
  /** Label names: semconv attributes, SDK and scrape labels, alert labels. */
  labels: Set<string>;
}

/** Builds the {@link KnownNames} from the instrument catalogue and the shipped rule files. */
export async function knownNames(): Promise<KnownNames> {
  const catalogue = await buildMetricCatalogue();
  const recorded = new Set(loadRules().flatMap((rule) => (rule.record ? [rule.record] : [])));
  return {
    exported: new Set([...catalogue.seriesNames.keys(), ...PROMETHEUS_SERIES]),
    recorded,
    labels: new Set([...catalogue.attributeLabels, ...SDK_AND_SCRAPE_LABELS, ...RULE_LABELS]),
  };
}
