import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/pack.js';

describe("the project's own dependency tree", () => {
  it('is valid and holds one copy of each OpenTelemetry package', () => {
    // npm ls exits non-zero on an invalid or missing dependency, which fails the test here.
    const out = execFileSync('npm', ['ls', '--all', '--parseable', '--long'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    const copies = new Map<string, Set<string>>();
    for (const line of out.split('\n')) {
      const spec = line.split(':')[1];
      const match = spec?.match(/^(@opentelemetry\/[^@]+)@(.+)$/);
      if (!match?.[1] || !match[2]) continue;
      copies.set(
        match[1],
        (copies.get(match[1]) ?? new Set()).add(`${match[2]} at ${line.split(':')[0]}`),
      );
    }
    expect(copies.size).toBeGreaterThan(5);
    const duplicated = [...copies].filter(([, places]) => places.size > 1);
    expect(duplicated).toEqual([]);
  });
});
