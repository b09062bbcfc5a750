/** Uniform random number in [min, max). */
export function between(min: number, max: number): number {
  return min + Math.random() * (max - min);
}

/** A log-normally distributed latency in milliseconds around `medianMs`. */
export function latencyMs(medianMs: number, spread = 0.5): number {
  const z =
    Math.sqrt(-2 * Math.log(Math.max(Math.random(), 1e-12))) *
    Math.cos(2 * Math.PI * Math.random());
  return medianMs * Math.exp(spread * z);
}

/** True with probability `p`. */
export function chance(p: number): boolean {
  return Math.random() < p;
}

/** A random element of `items`. */
export function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Busy-waits about `microseconds` µs, standing in for CPU work of a tiny handler. */
export function spin(microseconds: number): void {
  const until = performance.now() + microseconds / 1000;
  while (performance.now() < until) {
    // CPU work stand-in
  }
}
