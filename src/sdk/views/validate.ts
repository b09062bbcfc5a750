import { InvalidBucketsError, withSloBoundaries } from '../../core/buckets.js';
import { OpmeterConfigError } from '../../core/config-error.js';
import { checkInteger, checkKeys, isRecord } from '../../core/config-validation.js';
import { tupleKey } from '../../core/tuple-key.js';
import type { AttributeFilter, HistogramConfig, ViewConfig } from './types.js';

const VIEW_KEYS = ['instrument', 'meter', 'drop', 'histogram', 'attributes', 'cardinalityLimit'];
const SETTINGS = ['histogram', 'attributes', 'cardinalityLimit'];
const HISTOGRAM_KEYS: Readonly<Record<string, readonly string[]>> = {
  explicit: ['kind', 'boundaries', 'slo'],
  exponential: ['kind', 'maxSize'],
};
const FILTER_KEYS = ['kind', 'keys'];

/** A view checked by {@link validateViews}; explicit boundaries already include the SLO edges. */
export type ValidView = ViewConfig & { boundaries?: number[] };

/**
 * Checks every view as a user could have written it (from JavaScript or a config file).
 * @throws OpmeterConfigError naming the view (`views[2] (workflow.duration)`) and what to fix.
 */
export function validateViews(views: unknown): ValidView[] {
  if (views === undefined) return [];
  if (!Array.isArray(views)) {
    throw new OpmeterConfigError('views must be an array of view objects');
  }
  const seen = new Set<string>();
  return views.map((view: unknown, index) => {
    const valid = validateView(view, `views[${index}]`);
    const key = tupleKey([valid.meter, valid.instrument]);
    if (seen.has(key)) {
      throw new OpmeterConfigError(
        `views[${index}] (${valid.instrument}) selects the same instrument as an earlier view: ` +
          'merge them into one view (two views on one instrument export it twice)',
      );
    }
    seen.add(key);
    return valid;
  });
}

function validateView(view: unknown, at: string): ValidView {
  if (!isRecord(view)) throw new OpmeterConfigError(`${at} must be an object`);
  checkKeys(view, VIEW_KEYS, at);
  const { instrument, meter } = view;
  if (typeof instrument !== 'string' || instrument.trim() === '') {
    throw new OpmeterConfigError(
      `${at}.instrument is empty: name an instrument ('workflow.duration') or a pattern ('http.*')`,
    );
  }
  const where = `${at} (${instrument})`;
  if (meter !== undefined && (typeof meter !== 'string' || meter.trim() === '')) {
    throw new OpmeterConfigError(
      `${where}.meter is empty: name a meter ('opmeter/workflow') or remove the key`,
    );
  }
  const settings = SETTINGS.filter((key) => view[key] !== undefined);
  if (view.drop === true) {
    if (settings.length > 0) {
      throw new OpmeterConfigError(
        `${where} sets drop: true and ${settings.join(', ')}: a dropped instrument has no ` +
          'stream to shape; remove one or the other',
      );
    }
    return view as unknown as ViewConfig;
  }
  if (view.drop !== undefined && view.drop !== false) {
    throw new OpmeterConfigError(`${where}.drop must be true or false`);
  }
  if (settings.length === 0) {
    throw new OpmeterConfigError(
      `${where} changes nothing: set histogram, attributes, cardinalityLimit or drop: true`,
    );
  }
  if (view.attributes !== undefined) validateFilter(view.attributes, `${where}.attributes`);
  if (view.cardinalityLimit !== undefined) {
    checkInteger(view.cardinalityLimit, 1, Number.MAX_SAFE_INTEGER, `${where}.cardinalityLimit`);
  }
  const valid = view as unknown as ValidView;
  if (view.histogram === undefined) return valid;
  const boundaries = validateHistogram(view.histogram, `${where}.histogram`);
  return boundaries === undefined ? valid : { ...valid, boundaries };
}

function validateHistogram(histogram: unknown, at: string): number[] | undefined {
  const kind = isRecord(histogram) ? histogram.kind : undefined;
  const allowed = typeof kind === 'string' ? HISTOGRAM_KEYS[kind] : undefined;
  if (!isRecord(histogram) || allowed === undefined) {
    throw new OpmeterConfigError(`${at}.kind must be 'explicit' or 'exponential'`);
  }
  checkKeys(histogram, allowed, at);
  const config = histogram as HistogramConfig;
  if (config.kind === 'exponential') {
    const { maxSize } = config;
    if (maxSize !== undefined && (!Number.isInteger(maxSize) || maxSize < 2)) {
      throw new OpmeterConfigError(`${at}.maxSize must be a whole number >= 2 (default 160)`);
    }
    return undefined;
  }
  try {
    return withSloBoundaries(config.boundaries, config.slo ?? []);
  } catch (error) {
    if (error instanceof InvalidBucketsError) {
      throw new OpmeterConfigError(`${at}: ${error.message}`);
    }
    throw error;
  }
}

function validateFilter(filter: unknown, at: string): void {
  if (!isRecord(filter) || (filter.kind !== 'allow' && filter.kind !== 'deny')) {
    throw new OpmeterConfigError(`${at}.kind must be 'allow' or 'deny'`);
  }
  checkKeys(filter, FILTER_KEYS, at);
  const { keys, kind } = filter as AttributeFilter;
  if (!Array.isArray(keys) || keys.some((key) => typeof key !== 'string' || key === '')) {
    throw new OpmeterConfigError(`${at}.keys must be an array of non-empty attribute keys`);
  }
  if (kind === 'deny' && keys.length === 0) {
    throw new OpmeterConfigError(
      `${at}.keys is empty: a deny list without keys drops nothing; list keys or remove it`,
    );
  }
}
