import { describe, expect, it } from 'vitest';
import { redactedUrl } from '../../src/sdk/redact-url.js';

describe('redactedUrl', () => {
  it.each([
    ['http://u:pa55@collector:4318/v1/metrics', 'http://u:***@collector:4318/v1/metrics'],
    ['https://u:p@ss@collector/v1', 'https://u:***@collector/v1'],
    ['http://:pa55@collector', 'http://:***@collector/'],
    ['https://token@collector/v1', 'https://***@collector/v1'],
    ['https://collector/v1?api_key=S3CRET#frag', 'https://collector/v1?***'],
    ['http://collector:4318/v1/metrics', 'http://collector:4318/v1/metrics'],
    ['http://host:4318\\p@x', 'http://host:4318/p@x'],
  ])('shows the URL %s as %s', (given, shown) => {
    expect(redactedUrl(given)).toBe(shown);
  });

  it.each([
    ['u:pa55@collector:4318', 'u:***@collector:4318'],
    ['http://user:pa/S3CRET@host:4318', 'http://***@host:4318'],
    ['http://user:pa#S3CRET@host:4318', 'http://user:pa?***'],
    ['//user:S3CRET@host:4318', '//***@host:4318'],
    ['ftp:/user:S3CRET@host', 'ftp:/***@host'],
    ['grpc:///user:S3CRET@host', 'grpc:///***@host'],
    ['ftp://S3CRET@host', 'ftp://***@host'],
    ['grpc://host:4318/?api_key=S3CRET', 'grpc://host:4318/?***'],
    ['otel-collector:4318', 'otel-collector:4318'],
  ])('shows the text %s, which is not an http(s) URL, as %s', (given, shown) => {
    expect(redactedUrl(given)).toBe(shown);
    expect(redactedUrl(given)).not.toContain('S3CRET');
  });
});
