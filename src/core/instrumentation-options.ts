import type { Meter, MeterProvider } from '@opentelemetry/api';
import type { SessionStats } from '../stats/session-stats.js';
import { VERSION } from '../version.js';
import { OpmeterConfigError } from './config-error.js';
import { EXEMPLARS } from './exemplars/default-reservoir.js';
import { withExemplars } from './exemplars/exemplar-meter.js';
import { globalMeterProvider } from './global-api-check.js';
import type { RowSink } from './row-sink.js';

/**
 * Options every opmeter instrumentation accepts. The handle returned by `startMetrics()` has
 * exactly these properties, so `new WorkflowInstrumentation(metrics)` wires everything at once.
 */
export interface InstrumentationOptions {
  /** Where instruments come from. Default: the global provider (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider | undefined;
  /** In-memory session statistics fed by every ended operation. */
  stats?: SessionStats | undefined;
  /** def_metric row sink (the persistence writer) fed by every ended operation. */
  rows?: RowSink | undefined;
}

/**
 * The meter of the instrumentation scope `opmeter/<domain>`, its measurements offered as exemplars.
 * @throws OpmeterConfigError when `meterProvider` is not a MeterProvider (it has no `getMeter()`,
 * or that gives no Meter).
 */
export function meterFor(domain: string, options: InstrumentationOptions): Meter {
  const provider = options.meterProvider ?? globalMeterProvider();
  if (typeof (provider as Partial<MeterProvider> | null)?.getMeter !== 'function') {
    throw new OpmeterConfigError(
      `opmeter/${domain}: meterProvider must be an OpenTelemetry MeterProvider (with getMeter()), ` +
        `got ${typeof provider} without one; pass the SDK's ` +
        'MeterProvider (or the handle of startMetrics()), or omit it to use the global one',
    );
  }
  const meter: unknown = provider.getMeter(`opmeter/${domain}`, VERSION);
  if (typeof (meter as Partial<Meter> | null)?.createHistogram !== 'function') {
    throw new OpmeterConfigError(
      `opmeter/${domain}: the meterProvider's getMeter() returned ${meter === null ? 'null' : typeof meter}, ` +
        'not an OpenTelemetry Meter; pass the SDK MeterProvider, or omit meterProvider to use the global one',
    );
  }
  return withExemplars(meter as Meter, EXEMPLARS);
}
