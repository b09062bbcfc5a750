import { escapeHtml } from './escape.js';

/** One line of a chart: a name and (x, y) points, x in epoch ms. */
export interface ChartSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  readonly title: string;
  /** Unit shown after the y values (`s`, `/h`, `%`, `MB`). */
  readonly unit: string;
  readonly series: readonly ChartSeries[];
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 64, right: 16, top: 28, bottom: 30 };
/** Height of one legend row. */
const LEGEND_ROW = 14;
/** Series colours are CSS classes (s0…s7), so light and dark mode pick their own palette. */
const PALETTE_SIZE = 8;

/**
 * A line chart as inline SVG, rendered on the server: axes, 5 y ticks, time ticks, one polyline
 * (and dots) per series, a legend. Every text is escaped. An empty chart says "no data".
 */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 600;
  const legendRows = Math.ceil(options.series.length / 4);
  const bottom = MARGIN.bottom + legendRows * LEGEND_ROW;
  const height = (options.height ?? 240) + legendRows * LEGEND_ROW;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - bottom;
  const points = options.series.flatMap((s) => s.points);
  const title = `<text class="chart-title" x="${MARGIN.left}" y="18">${escapeHtml(truncate(options.title, 72))}<title>${escapeHtml(options.title)}</title></text>`;
  const open = `<svg class="chart" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`;
  if (points.length === 0) {
    return `${open}${title}<text class="axis" x="${width / 2}" y="${height / 2}" text-anchor="middle">no data</text></svg>`;
  }
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  let xMin = Math.min(...xs);
  let xMax = Math.max(...xs);
  if (xMax === xMin) {
    xMin -= 1;
    xMax += 1;
  }
  const yMax = niceCeiling(Math.max(...ys, 0));
  const x = (v: number) => MARGIN.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number) => MARGIN.top + plotH - (v / yMax) * plotH;
  const parts: string[] = [open, title];
  for (let i = 0; i <= 4; i++) {
    const value = (yMax * i) / 4;
    const at = y(value).toFixed(1);
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${at}" y2="${at}"/>`,
      `<text class="axis" x="${MARGIN.left - 6}" y="${at}" dy="4" text-anchor="end">${escapeHtml(formatValue(value, options.unit))}</text>`,
    );
  }
  for (let i = 0; i <= 3; i++) {
    const t = xMin + ((xMax - xMin) * i) / 3;
    const anchor = i === 0 ? 'start' : i === 3 ? 'end' : 'middle';
    parts.push(
      `<text class="axis" x="${x(t).toFixed(1)}" y="${height - bottom + 16}" text-anchor="${anchor}">${escapeHtml(formatTime(t, xMax - xMin))}</text>`,
    );
  }
  parts.push(
    `<line class="axis-line" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}"/>`,
    `<line class="axis-line" x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}"/>`,
  );
  options.series.forEach((series, i) => {
    const css = `s${i % PALETTE_SIZE}`;
    const coords = [...series.points]
      .sort((a, b) => a[0] - b[0])
      .map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`);
    if (coords.length > 1) {
      parts.push(
        `<polyline class="line ${css}" points="${coords.join(' ')}"><title>${escapeHtml(series.name)}</title></polyline>`,
      );
    } else {
      const [cx, cy] = (coords[0] ?? '0,0').split(',');
      parts.push(
        `<circle class="dot ${css}" cx="${cx}" cy="${cy}" r="3"><title>${escapeHtml(series.name)}</title></circle>`,
      );
    }
    const legendX = MARGIN.left + (i % 4) * (plotW / 4);
    const legendY = height - bottom + 30 + Math.floor(i / 4) * LEGEND_ROW;
    parts.push(
      `<rect class="key ${css}" x="${legendX.toFixed(1)}" y="${legendY - 8}" width="10" height="10"/>`,
      `<text class="legend" x="${(legendX + 14).toFixed(1)}" y="${legendY + 1}">${escapeHtml(truncate(series.name, 28))}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value` (1 for 0). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function formatValue(value: number, unit: string): string {
  const text =
    value === 0
      ? '0'
      : Math.abs(value) >= 100
        ? value.toFixed(0)
        : Number(value.toPrecision(3)).toString();
  return `${text}${unit}`;
}

function formatTime(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs <= 2 * 86_400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
