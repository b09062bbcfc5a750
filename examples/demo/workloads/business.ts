import type { CustomMetrics } from '../../../instrumentations/custom/index.js';
import { between, chance, latencyMs, pick, sleep } from '../random.js';
import { loop, type Workload } from './workload.js';

/** Business KPIs no domain covers: checkouts by plan, basket value, pricing time, open carts. */
export function startBusinessMetrics(custom: CustomMetrics): Workload {
  let openCarts = 0;
  const stopObserving = custom.observe('shop.carts.open', () => openCarts, {
    unit: '{cart}',
    description: 'Shopping carts currently open',
  });
  const workload = loop(
    'business',
    async () => {
      openCarts = Math.max(0, openCarts + Math.round(between(-3, 4)));
      await custom.time('shop.pricing.compute', () => sleep(latencyMs(8, 0.5)), {
        engine: 'rules',
      });
      if (chance(0.6)) {
        const plan = pick(['free', 'pro', 'enterprise']);
        custom.increment('shop.checkouts', 1, { plan });
        custom.items('shop.items.sold', Math.round(between(1, 6)), { plan });
        custom.gauge('shop.basket.value', Math.round(between(5, 400)), { currency: 'EUR' });
      }
    },
    () => latencyMs(200, 0.3),
  );
  return {
    name: workload.name,
    async stop() {
      await workload.stop();
      stopObserving();
    },
  };
}
