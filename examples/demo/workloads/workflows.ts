import type { WorkflowInstrumentation } from '../../../instrumentations/workflow/index.js';
import { chance, latencyMs, pick, sleep } from '../random.js';
import { loop, type Workload } from './workload.js';

const WORKFLOWS = [
  { code: 'NIGHTLY_IMPORT', package: 'billing', steps: 5, mode: 'sequential' },
  { code: 'INVOICE_RUN', package: 'billing', steps: 3, mode: 'parallel' },
  { code: 'CUSTOMER_SYNC', package: 'crm', steps: 4, mode: 'sequential' },
] as const;

/** Runs a workflow every second or so: several steps, occasional retries, ~5% failed runs. */
export function startWorkflows(workflows: WorkflowInstrumentation): Workload {
  return loop(
    'workflows',
    () => {
      const spec = pick(WORKFLOWS);
      return workflows.run(
        spec.code,
        async (run) => {
          for (let step = 0; step < spec.steps; step++) {
            await sleep(latencyMs(120, 0.6));
            if (chance(0.08)) {
              run.stepFailed().retry();
              await sleep(latencyMs(80));
            }
            run.stepCompleted();
            run.addItems(Math.round(latencyMs(500, 0.4)));
          }
          if (chance(0.05))
            throw Object.assign(new Error('upstream export refused'), { code: 'ECONNRESET' });
        },
        { package: spec.package, mode: spec.mode },
      );
    },
    () => latencyMs(900, 0.3),
  );
}
