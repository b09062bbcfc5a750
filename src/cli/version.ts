import { readFileSync } from 'node:fs';

/** The `version` of opmeter's package.json, found upwards from this file (in `src/` or `dist/`). */
export function packageVersion(from: URL = new URL('.', import.meta.url)): string {
  for (let dir = from; ; dir = new URL('..', dir)) {
    try {
      const json = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (json.name === 'opmeter' && typeof json.version === 'string') return json.version;
    } catch {
      // No (readable) package.json here: look one folder up.
    }
    if (new URL('..', dir).href === dir.href) return 'unknown';
  }
}
