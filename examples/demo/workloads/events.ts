import type { EventInstrumentation } from '../../../instrumentations/event/index.js';
import { chance, latencyMs, pick, spin } from '../random.js';
import { loop, type Workload } from './workload.js';

const TYPES = [
  { type: 'order.created', medianUs: 60 },
  { type: 'order.paid', medianUs: 90 },
  { type: 'user.signup', medianUs: 150 },
  { type: 'stock.adjusted', medianUs: 30 },
] as const;

/** Handles bursts of events (~400/s) with tiny latencies, some ignored, unhandled, failed or lost. */
export function startEvents(events: EventInstrumentation): Workload {
  let sequence = 0;
  let backlog = 0;
  const stopObserving = events.observeQueueDepth(() => backlog, 'ingest');
  const workload = loop(
    'events',
    async () => {
      backlog = Math.round(latencyMs(40, 0.8));
      for (let i = 0; i < 20; i++) {
        sequence += chance(0.005) ? 2 : 1;
        events.trackSequence('feed-a', sequence);
        if (chance(0.03)) {
          events.received('heartbeat');
          events.ignored('heartbeat');
          continue;
        }
        if (chance(0.01)) {
          events.received('legacy.ping');
          events.unhandled('legacy.ping');
          continue;
        }
        const spec = pick(TYPES);
        events.received(spec.type);
        try {
          events.run(spec.type, () => {
            spin(latencyMs(spec.medianUs, 0.5));
            if (chance(0.01)) throw new RangeError('amount out of range');
          });
        } catch {
          // a failed handler is recorded by opmeter; the demo carries on
        }
      }
      backlog = 0;
    },
    () => 50,
  );
  return {
    name: workload.name,
    async stop() {
      await workload.stop();
      stopObserving();
    },
  };
}
