import {
  EventInstrumentation,
  type EventInstrumentationConfig,
} from '../../instrumentations/event/index.js';
import { SessionStats } from '../../src/stats/session-stats.js';
import { createTestMeterProvider } from '../support/metric-reader.js';

/** An event instrumentation on a fresh test MeterProvider, with session statistics attached. */
export function setupEvents(config: Omit<EventInstrumentationConfig, 'meterProvider'> = {}) {
  const otel = createTestMeterProvider();
  const stats = new SessionStats();
  const events = new EventInstrumentation({ stats, ...config, meterProvider: otel.meterProvider });
  /** Value of the `opmeter.input.adjusted` point for `field` and `reason` (0 when absent). */
  async function adjusted(field: string, reason: string): Promise<number> {
    const data = (await otel.metrics()).get('opmeter.input.adjusted');
    const found = data?.dataPoints.find(
      (p) => p.attributes['opmeter.field'] === field && p.attributes['opmeter.reason'] === reason,
    );
    return (found?.value as number | undefined) ?? 0;
  }
  return { ...otel, stats, events, adjusted };
}
