/** The report's stylesheet: light by default, dark under `prefers-color-scheme: dark`. */
export const REPORT_CSS = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --grid: #d8dee4;
  --panel: #f6f8fa; --border: #d0d7de; --bad: #cf222e; --c0: #0969da; --c1: #bc4c00; --c2: #1a7f37;
  --c3: #8250df; --c4: #bf3989; --c5: #0a7f8c; --c6: #7d4e00; --c7: #57606a; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --grid: #30363d; --panel: #161b22;
    --border: #30363d; --bad: #ff7b72; --c0: #58a6ff; --c1: #ffa657; --c2: #3fb950; --c3: #d2a8ff;
    --c4: #ff7eb6; --c5: #39c5cf; --c6: #e3b341; --c7: #b1bac4; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
p.meta, .note { color: var(--muted); margin: 0 0 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.card b { display: block; font-size: 20px; } .card.bad b { color: var(--bad); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg.chart { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; max-width: 100%; height: auto; }
svg .chart-title { fill: var(--fg); font-size: 13px; font-weight: 600; }
svg .axis, svg .legend { fill: var(--muted); font-size: 11px; }
svg .grid { stroke: var(--grid); stroke-width: 1; } svg .axis-line { stroke: var(--muted); stroke-width: 1; }
svg .line { fill: none; stroke-width: 2; }
${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `svg .s${i} { stroke: var(--c${i}); } svg .key.s${i}, svg .dot.s${i} { fill: var(--c${i}); stroke: none; }`).join('\n')}
table { border-collapse: collapse; margin: 4px 0 8px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--border); padding: 4px 10px; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } th { color: var(--muted); font-weight: 600; }
tr.bad td { color: var(--bad); }
`;
