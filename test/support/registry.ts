import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where downloaded test fixtures are kept between runs (ignored by git with node_modules). */
export const FIXTURE_CACHE = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '.cache',
  'opmeter-test',
);

/**
 * Downloads `spec` (e.g. `pkg@1.2.3`) from the npm registry with `npm pack`, once, and unpacks it;
 * returns the unpacked `package/` folder, or `undefined` after a loud warning when the registry
 * cannot be reached. Under `CI=true` an unreachable registry throws instead: CI must not skip.
 */
export function unpackFromRegistry(spec: string): string | undefined {
  const folder = join(FIXTURE_CACHE, spec.replace(/[^a-zA-Z0-9.@-]/g, '_'));
  const unpacked = join(folder, 'package');
  if (existsSync(unpacked)) return unpacked;
  mkdirSync(folder, { recursive: true });
  try {
    execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', folder], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
    });
    const tarball = readdirSync(folder).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack ${spec} wrote no tarball`);
    execFileSync('tar', ['-xzf', join(folder, tarball), '-C', folder]);
    return unpacked;
  } catch (error) {
    const message = `SKIPPED: cannot download ${spec} from the npm registry (${String(error).split('\n')[0]})`;
    if (process.env.CI === 'true') throw new Error(`${message} (CI=true: tests cannot skip)`);
    console.warn(`\n*** ${message} ***\n`);
    return undefined;
  }
}
