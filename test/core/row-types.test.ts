import { describe, expect, it } from 'vitest';
import { loadSchemaRegistry } from '../../src/def-metric/index.js';
import { generateRowTypes } from '../support/row-types.js';

describe('row types', () => {
  it('src/core/def-metric-rows.ts is what the YAML schemas generate', async () => {
    await expect(generateRowTypes(loadSchemaRegistry())).toMatchFileSnapshot(
      '../../src/core/def-metric-rows.ts',
    );
  });
});
