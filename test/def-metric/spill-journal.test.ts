import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSchemaRegistry } from '../../src/def-metric/index.js';
import type { PendingGroup } from '../../src/def-metric/writer/batch-builder.js';
import { SpillJournal } from '../../src/def-metric/writer/spill-journal.js';

const registry = loadSchemaRegistry();
const workflow = registry.require('def_workflow_metric');
const api = registry.require('def_api_metric');

/** A group of `count` rows of `table` whose first column holds `prefix` + index. */
function group(table: typeof workflow, prefix: string, count: number): PendingGroup {
  return {
    table,
    values: Array.from({ length: count }, (_, i) =>
      table.columns.map((column, c) => (c === 0 ? `${prefix}${i}` : column.nullable ? null : 'x')),
    ),
  };
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('SpillJournal', () => {
  it('reads rows back oldest first, across tables, and keeps them across a reopen until removed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'opmeter-journal-'));
    const path = join(dir, 'nested', 'spill.db');
    const journal = await SpillJournal.open({ path });
    journal.append([group(workflow, 'w', 3), group(api, 'a', 2)]);
    journal.append([group(workflow, 'v', 2)]);
    expect(journal.rows).toBe(7);
    const bytes = journal.bytes;
    expect(bytes).toBeGreaterThan(0);
    journal.close();

    const reopened = await SpillJournal.open({ path });
    expect({ rows: reopened.rows, bytes: reopened.bytes }).toEqual({ rows: 7, bytes });
    const first = reopened.readBatch(4, registry);
    expect(first.groups.map((g) => [g.table.name, g.values.map((v) => v[0])])).toEqual([
      ['def_workflow_metric', ['w0', 'w1', 'w2']],
      ['def_api_metric', ['a0']],
    ]);
    reopened.remove(first.lastId);
    expect(reopened.rows).toBe(3);
    const rest = reopened.readBatch(10, registry);
    expect(rest.groups.flatMap((g) => g.values.map((v) => v[0]))).toEqual(['a1', 'v0', 'v1']);
    reopened.remove(rest.lastId);
    expect({ rows: reopened.rows, bytes: reopened.bytes }).toEqual({ rows: 0, bytes: 0 });
    reopened.close();
  });

  it('refuses the rows that would pass maxBytes and keeps the ones before', async () => {
    const journal = await SpillJournal.open({ path: ':memory:', maxBytes: 1_000 });
    const { kept, refused } = journal.append([group(workflow, 'w', 50)]);
    const keptRows = kept.get('def_workflow_metric') ?? 0;
    expect(keptRows).toBeGreaterThan(0);
    expect(keptRows + (refused.get('def_workflow_metric') ?? 0)).toBe(50);
    expect(journal.rows).toBe(keptRows);
    expect(journal.bytes).toBeLessThanOrEqual(1_000);
    journal.close();
  });

  it('says which file it cannot open and how to fix it', async () => {
    await expect(SpillJournal.open({ path: '/dev/null/spill.db' })).rejects.toThrow(
      /cannot open the def_metric spill journal \/dev\/null\/spill\.db.*writable file/,
    );
  });
});
