import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { type DialectFixture, openFixture } from '../def-metric/helpers/dialects.js';
import { chromiumBinary, type HeadlessPage, startHeadless } from './chromium.js';
import { HISTORY_TABLE, insertHistory } from './history-fixture.js';
import { type SyntheticRow, syntheticHistory } from './synthetic-history.js';

const CHROMIUM = chromiumBinary();
const HOSTILE_CODE = '<script>window.__xss = 1</script>';
const HOSTILE_OPERATION = '"><img src=x onerror="window.__xss = 2">';

/** Set OPMETER_UPDATE_SCREENSHOTS=1 to refresh the screenshots that docs/analytics.md shows. */
const DOCS_SCREENSHOTS = process.env.OPMETER_UPDATE_SCREENSHOTS === '1';

describe('opmeter report html', () => {
  let fixture: DialectFixture;
  let dir: string;
  let out: string;
  let stderr = '';
  let page: HeadlessPage | undefined;

  beforeAll(async () => {
    fixture = await openFixture('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'opmeter-html-'));
    out = join(dir, 'report.html');
    const now = Date.now() - 5_000;
    const hostile: SyntheticRow[] = Array.from({ length: 60 }, (_, i) => ({
      code: HOSTILE_CODE,
      operation: HOSTILE_OPERATION,
      timeMs: now - (i + 1) * 3_000_000,
      serial: 10_000_000 + i,
      elapsed: 0.5 + (i % 7) / 10,
      success: i % 10 !== 0,
      memoryMB: 80,
      items: 10,
      outlier: false,
    }));
    const dialect = fixture.dialect();
    await insertHistory(dialect, [
      ...syntheticHistory({ seed: 5, nowMs: now, perHour: 60, baselineHours: 144 }),
      ...hostile,
    ]);
    await dialect.close();
    const code = await main(
      [
        'report',
        'html',
        '--table',
        HISTORY_TABLE,
        '--out',
        out,
        '--progress',
        '--url',
        fixture.url,
      ],
      {
        stdout: { write: () => true },
        stderr: { write: (text: string) => (stderr += text) },
        env: {},
      },
    );
    expect(code, stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await page?.close();
    await fixture?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one self-contained file with every stored string escaped', () => {
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;window.__xss = 1&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=&quot;window.__xss = 2&quot;&gt;');
    // Nothing to fetch: no external URL in any src, href or url(); the only URL is the SVG namespace.
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?[a-z]+:|url\(/i);
    expect([...html.matchAll(/https?:\/\/[^\s"']+/g)].map((m) => m[0])).toEqual(
      expect.arrayContaining([]),
    );
    for (const url of html.matchAll(/https?:\/\/[^\s"']+/g)) {
      expect(url[0]).toBe('http://www.w3.org/2000/svg');
    }
    expect(html).toContain('<th>P99.9</th>');
    for (const section of [
      'regressions',
      'summary',
      'latency',
      'trends',
      'slowest',
      'errors',
      'anomalies',
    ]) {
      expect(html).toContain(`id="${section}"`);
    }
  });

  it('draws the progress line on stderr when asked (--progress), ending with a newline', () => {
    expect(stderr).toMatch(/\rreading def_dataimport_metric \d+\/\d+ rows [\d.]+% \| \d+ rows\/s/);
    expect(stderr).toMatch(/\nwrote .*report\.html \(\d+ KiB\)\n$/);
  });

  it.skipIf(CHROMIUM === undefined).each(['light', 'dark'] as const)(
    'renders every chart in %s mode, without errors or injected code running',
    async (scheme) => {
      page ??= await startHeadless(CHROMIUM as string);
      const log = await page.open(pathToFileURL(out).href, scheme);
      expect(log.errors).toEqual([]);
      const charts = await page.evaluate<
        Array<{ label: string; marks: number; width: number; height: number; empty: boolean }>
      >(`[...document.querySelectorAll('svg.chart')].map((svg) => {
            const marks = [...svg.querySelectorAll('polyline, circle')];
            const box = marks.reduce((b, m) => { const r = m.getBBox(); return { w: Math.max(b.w, r.width), h: Math.max(b.h, r.height) }; }, { w: 0, h: 0 });
            return { label: svg.getAttribute('aria-label'), marks: marks.length, width: box.w, height: box.h,
              empty: svg.textContent.includes('no data') };
          })`);
      // 6 groups × latency, plus throughput, error rate and memory.
      expect(charts).toHaveLength(9);
      for (const chart of charts) {
        expect(chart.empty, chart.label).toBe(false);
        expect(chart.marks, chart.label).toBeGreaterThan(0);
        expect(chart.width, chart.label).toBeGreaterThan(100);
      }
      expect(charts.map((c) => c.label)).toContain(
        `${HOSTILE_CODE} / ${HOSTILE_OPERATION}: p50 / p95 / p99 (s)`,
      );
      expect(await page.evaluate('window.__xss ?? null')).toBeNull();
      const colours = await page.evaluate<{ background: string; text: string; stroke: string }>(
        `({ background: getComputedStyle(document.body).backgroundColor,
              text: getComputedStyle(document.body).color,
              stroke: getComputedStyle(document.querySelector('svg .line')).stroke })`,
      );
      if (scheme === 'light') {
        expect(colours).toEqual({
          background: 'rgb(255, 255, 255)',
          text: 'rgb(27, 31, 36)',
          stroke: 'rgb(9, 105, 218)',
        });
      } else {
        expect(colours).toEqual({
          background: 'rgb(13, 17, 23)',
          text: 'rgb(230, 237, 243)',
          stroke: 'rgb(88, 166, 255)',
        });
      }
      const png = await page.screenshot();
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(50_000);
      const file = join(dir, `report-${scheme}.png`);
      writeFileSync(file, png);
      writeFileSync(join(tmpdir(), `opmeter-report-${scheme}.png`), png);
      if (DOCS_SCREENSHOTS)
        copyFileSync(file, join(import.meta.dirname, `../../docs/analytics-report-${scheme}.png`));
    },
    30_000,
  );
});
