import { createServer, request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  ApiInstrumentation,
  ATTR_HTTP_REQUEST_METHOD,
  DEFAULT_KNOWN_METHODS,
  instrumentServer,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '../../instrumentations/api/index.js';
import { API_METRIC_LENGTHS } from '../../src/core/def-metric-rows.js';
import {
  ADJUSTMENT_TRUNCATED,
  ATTR_OPMETER_FIELD,
  ATTR_OPMETER_REASON,
  METRIC_OPMETER_INPUT_ADJUSTED,
} from '../../src/core/self-metrics.js';
import { createDefMetricWriter } from '../../src/def-metric/index.js';
import { openFixture } from '../def-metric/helpers/dialects.js';
import { createTestMeterProvider } from '../support/metric-reader.js';
import { close, listen } from './support.js';

/** A method Node's parser accepts and that is longer than the 10-character `HTTPMethod` column. */
const LONG_METHOD = 'UNSUBSCRIBE';

describe('a known HTTP method longer than the HTTPMethod column', () => {
  it('is cut when recorded: the row is stored as is (nothing fixed), the attribute equal to it', async () => {
    expect(LONG_METHOD.length).toBeGreaterThan(API_METRIC_LENGTHS.HTTPMethod);
    const fixture = await openFixture('sqlite');
    const reader = fixture.dialect();
    const writer = createDefMetricWriter({
      url: fixture.url,
      meterProvider: createTestMeterProvider().meterProvider,
      retention: false,
      onWarning: () => {},
    });
    const otel = createTestMeterProvider();
    try {
      const api = new ApiInstrumentation({
        meterProvider: otel.meterProvider,
        rows: writer,
        knownMethods: [...DEFAULT_KNOWN_METHODS, LONG_METHOD],
      });
      const server = createServer((_req, res) => res.end('ok'));
      instrumentServer(server, api);
      const base = await listen(server);
      await new Promise<void>((resolve, reject) => {
        httpRequest(base, { method: LONG_METHOD, agent: false }, (res) => {
          res.resume().on('end', resolve);
        })
          .on('error', reject)
          .end();
      });
      await close(server);
      await new Promise((resolve) => setImmediate(resolve));
      await writer.flush();

      expect(writer.stats()).toMatchObject({ written: 1, rejected: 0, dropped: 0, fixed: 0 });
      const rows = await reader.select(
        `SELECT ${reader.quote('HTTPMethod')} AS m FROM def_api_metric`,
        [],
      );
      const recorded = LONG_METHOD.slice(0, API_METRIC_LENGTHS.HTTPMethod);
      expect(rows).toEqual([{ m: recorded }]);
      const point = await otel.point(METRIC_HTTP_SERVER_REQUEST_DURATION);
      expect(point.attributes[ATTR_HTTP_REQUEST_METHOD]).toBe(recorded);
      const adjusted = await otel.point(METRIC_OPMETER_INPUT_ADJUSTED, {
        [ATTR_OPMETER_FIELD]: ATTR_HTTP_REQUEST_METHOD,
        [ATTR_OPMETER_REASON]: ADJUSTMENT_TRUNCATED,
      });
      expect(adjusted.value).toBe(1);
    } finally {
      await writer.close({ deadlineMs: 2_000 });
      await reader.close();
      await fixture.cleanup();
    }
  });
});
