// Run by scale.test.ts as `node --expose-gc memory-probe.mjs <dist> <sqlite path> <table>`: prints
// the heap growth of the streaming analytics and of holding the rows in memory, as JSON.
const [dist, path, table] = process.argv.slice(2);
const analytics = await import(`${dist}/src/analytics/index.js`);
const defMetric = await import(`${dist}/src/def-metric/index.js`);
const model = defMetric.loadSchemaRegistry().require(table);
const heap = () => process.memoryUsage().heapUsed;
const settle = () => {
  globalThis.gc();
  globalThis.gc();
  return heap();
};
const source = analytics.openHistorySource(`sqlite:${path}`);
const window = { fromMs: 0, toMs: Date.now() + 86_400_000 };
let peak = 0;
const onProgress = () => {
  peak = Math.max(peak, heap());
};
const base = settle();
const summaries = await analytics.summariseWindow(source, analytics.historyColumns(model), window, {
  onProgress,
});
const anomalies = await analytics.detectAnomalies(source, model, {
  window,
  metrics: ['duration'],
  onProgress,
  limit: 2000,
});
const streamingRetained = settle() - base;
await source.close();
const holder = defMetric.createDialect(`sqlite:${path}`);
const before = settle();
const rows = await holder.select(`SELECT * FROM ${table}`, []);
const loaded = settle() - before;
await holder.close();
console.log(
  JSON.stringify({
    rows: rows.length,
    groups: summaries.size,
    anomalies: anomalies.total,
    flagged: anomalies.anomalies.map((a) => a.guid),
    peakGrowth: peak - base,
    streamingRetained,
    loaded,
  }),
);
