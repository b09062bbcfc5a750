import { describe, expect, it } from 'vitest';
import { redactedUrl } from '../../src/sdk/redact-url.js';

describe('redactedUrl', () => {
  it.each([
    ['http://u:pa55@collector:4318/v1/metrics', 'http://u:***@collector:4318/v1/metrics'],
    ['https://u:p@ss@collector/v1', 'https://u:***@collector/v1'],
    ['u:pa55@collector:4318', 'u:***@collector:4318'],
    ['http://:pa55@collector', 'http://:***@collector'],
    ['http://collector:4318/v1/metrics', 'http://collector:4318/v1/metrics'],
    ['otel-collector:4318', 'otel-collector:4318'],
    ['http://collector/path?q=a:b@c', 'http://collector/path?q=a:b@c'],
  ])('shows %s as %s', (given, shown) => {
    expect(redactedUrl(given)).toBe(shown);
  });
});
