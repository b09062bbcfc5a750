import type { NotifyInstrumentation } from '../../../instrumentations/notify/index.js';
import { between, chance, latencyMs, pick, sleep } from '../random.js';
import { loop, type Workload } from './workload.js';

const NOTIFICATIONS = [
  { code: 'ORDER_CONFIRMATION', channel: 'email', medianMs: 180 },
  { code: 'PASSWORD_RESET', channel: 'sms', medianMs: 450 },
  { code: 'SHIPPING_UPDATE', channel: 'push', medianMs: 90 },
  { code: 'PARTNER_HOOK', channel: 'webhook', medianMs: 250 },
] as const;

/** Sends a notification every ~300 ms to a few recipients; some deliveries fail, some sends time out. */
export function startNotifications(notify: NotifyInstrumentation): Workload {
  return loop(
    'notifications',
    () => {
      const spec = pick(NOTIFICATIONS);
      const recipients = Math.ceil(between(1, 12));
      return notify.run(
        spec.code,
        async (send) => {
          await sleep(latencyMs(spec.medianMs, 0.5));
          if (chance(0.03)) throw new DOMException('gateway did not answer', 'TimeoutError');
          const failed = chance(0.1) ? 1 : 0;
          send.delivered(recipients - failed);
          if (failed > 0) send.failed(failed);
        },
        {
          channel: spec.channel,
          package: 'crm',
          recipients,
          queueDepth: Math.round(between(0, 40)),
        },
      );
    },
    () => latencyMs(300, 0.4),
  );
}
