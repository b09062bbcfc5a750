import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The project's root folder. */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/**
 * Packs the project with `npm pack` (the built `dist/`, schemas and ops files, as published) into
 * `destination` and returns the tarball's path.
 */
export function packProject(destination: string): string {
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', destination], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const name = readdirSync(destination).find((file) => file.endsWith('.tgz'));
  if (name === undefined) throw new Error(`npm pack wrote no tarball into ${destination}`);
  return join(destination, name);
}
