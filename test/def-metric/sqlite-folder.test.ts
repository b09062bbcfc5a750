import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDefMetricWriter, loadSchemaRegistry } from '../../src/def-metric/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the SQLite database file', () => {
  it('is created with the folders it is in when they are missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opmeter-folder-'));
    dirs.push(dir);
    const path = join(dir, 'data', 'metrics', 'opmeter.db');
    const writer = createDefMetricWriter({
      url: `sqlite:${path}`,
      schemas: loadSchemaRegistry(),
      retention: false,
    });
    writer.enqueue('def_dataimport_metric', {
      DataimportCode: 'orders',
      Package: 'core',
      ItemsProcessed: 3,
    });
    await writer.close();
    expect(writer.stats().written).toBe(1);
    expect(existsSync(path)).toBe(true);
  });
});
