/**
 * Default boundaries, in bytes, of `http.server.*.body.size`: 0, then powers of four from
 * 64 B to 64 MiB, so empty bodies, small JSON documents and large downloads land in distinct buckets.
 */
export const HTTP_BODY_SIZE_BUCKETS: readonly number[] = Object.freeze([
  0, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
]);
