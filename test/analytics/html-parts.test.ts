import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/analytics/html/escape.js';
import { lineChart, niceCeiling } from '../../src/analytics/html/svg-chart.js';
import { createRowProgress } from '../../src/analytics/progress.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('lineChart', () => {
  const day = 86_400_000;

  it('draws one polyline per series with escaped names, axes and a legend', () => {
    const svg = lineChart({
      title: 'p95 <of> "x"',
      unit: 's',
      series: [
        {
          name: '<b>load</b>',
          points: [
            [0, 1],
            [day, 2],
            [2 * day, 1.5],
          ],
        },
        {
          name: 'save',
          points: [
            [0, 3],
            [day, 4],
          ],
        },
      ],
    });
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('&lt;b&gt;load&lt;/b&gt;');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('aria-label="p95 &lt;of&gt; &quot;x&quot;"');
    // y axis up to the next 1-2-5 step above 4: 5, in five ticks
    expect(svg).toContain('>5s<');
    expect(svg.match(/class="grid"/g)).toHaveLength(5);
  });

  it('marks a single point with a dot and an empty chart with "no data"', () => {
    expect(
      lineChart({ title: 't', unit: '', series: [{ name: 'a', points: [[0, 1]] }] }),
    ).toContain('<circle class="dot s0"');
    expect(lineChart({ title: 't', unit: '', series: [] })).toContain('no data');
  });

  it('rounds the y axis up to 1, 2 or 5 × 10ⁿ', () => {
    expect([0, 0.7, 1, 1.1, 3, 7, 42, 999].map(niceCeiling)).toEqual([1, 1, 1, 2, 5, 10, 50, 1000]);
  });
});

describe('row progress line', () => {
  it('stays silent on a stream that is not a terminal unless forced', () => {
    expect(createRowProgress('reading t', { stream: { write: () => true } })).toBeUndefined();
    expect(
      createRowProgress('reading t', { stream: { write: () => true }, force: true }),
    ).toBeDefined();
  });

  it('redraws in place at most once per interval and ends the line once', () => {
    let text = '';
    let clock = 0;
    const progress = createRowProgress('reading t', {
      stream: { isTTY: true, write: (chunk: string) => (text += chunk) },
      now: () => clock,
      intervalMs: 250,
    });
    progress?.(1_000, 4_000);
    clock = 100;
    progress?.(2_000, 4_000); // within 250 ms: not drawn
    clock = 1_000;
    progress?.(3_000, 4_000);
    progress?.(4_000, 4_000); // the last one is always drawn
    progress?.finish();
    progress?.finish();
    const lines = text.split('\r').filter(Boolean);
    expect(lines.map((l) => l.replaceAll('\u001b[K', '').replaceAll('\n', ''))).toEqual([
      'reading t 1000/4000 rows 25.0% | 0 rows/s',
      'reading t 3000/4000 rows 75.0% | 3000 rows/s',
      'reading t 4000/4000 rows 100.0% | 4000 rows/s',
    ]);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.match(/\n/g)).toHaveLength(1);
  });
});
