import { describe, expect, it } from 'vitest';
import { TableSetup } from '../../src/def-metric/writer/table-setup.js';

describe('TableSetup', () => {
  it('runs one migration however many wait for it, and again only after invalidate()', async () => {
    let runs = 0;
    const setup = new TableSetup(async () => {
      runs += 1;
    });
    expect(setup.isReady).toBe(false);
    await Promise.all([setup.ready(), setup.ready(), setup.ready()]);
    expect({ runs, ready: setup.isReady }).toEqual({ runs: 1, ready: true });
    await setup.ready();
    expect(runs).toBe(1);
    setup.invalidate();
    expect(setup.isReady).toBe(false);
    await setup.ready();
    expect(runs).toBe(2);
  });

  it('a failed migration rejects its waiters and the next ready() tries again', async () => {
    let runs = 0;
    const setup = new TableSetup(async () => {
      runs += 1;
      if (runs === 1) throw new Error('refused');
    });
    await expect(setup.ready()).rejects.toThrow('refused');
    expect(setup.isReady).toBe(false);
    await setup.ready();
    expect({ runs, ready: setup.isReady }).toEqual({ runs: 2, ready: true });
  });

  it('without a migration (migrate: false) the tables are ready for good', async () => {
    const setup = new TableSetup(undefined);
    setup.invalidate();
    expect(setup.isReady).toBe(true);
    await expect(setup.ready()).resolves.toBeUndefined();
  });
});
