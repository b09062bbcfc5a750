import { describe, expect, it } from 'vitest';
import { createDefMetricWriter } from '../../src/def-metric/index.js';
import { WARNER_MAX_KEYS } from '../../src/def-metric/writer/warner.js';

describe('def_metric warnings under a flood of distinct keys', () => {
  it('200,000 distinct unknown table names: every row counted, at most WARNER_MAX_KEYS + 1 warnings', async () => {
    const warnings: string[] = [];
    const writer = createDefMetricWriter({
      url: 'sqlite::memory:',
      retention: false,
      maxQueueSize: 1_000,
      onWarning: (message) => warnings.push(message),
    });
    await writer.ready();
    for (let i = 0; i < 200_000; i++) writer.enqueue(`def_nope_${i}_metric`, { Code: 'x' });
    await writer.close({ deadlineMs: 10_000 });
    const stats = writer.stats();
    const bytes = warnings.reduce((sum, w) => sum + w.length, 0);
    console.info(`200,000 unknown tables: ${warnings.length} warnings, ${bytes} characters`);
    expect(stats.rejected + stats.dropped).toBe(200_000);
    expect(warnings.length).toBeLessThanOrEqual(WARNER_MAX_KEYS + 1);
    expect(bytes).toBeLessThan(200_000);
  }, 60_000);
});
