import { ApiInstrumentation, FetchInstrumentation } from '../../../instrumentations/api/index.js';
import { BatchInstrumentation } from '../../../instrumentations/batch/index.js';
import { CustomMetrics } from '../../../instrumentations/custom/index.js';
import { EventInstrumentation } from '../../../instrumentations/event/index.js';
import { ModuleInstrumentation } from '../../../instrumentations/module/index.js';
import { NotifyInstrumentation } from '../../../instrumentations/notify/index.js';
import { WorkflowInstrumentation } from '../../../instrumentations/workflow/index.js';
import type { InstrumentationOptions } from '../../../src/core/instrumentation-options.js';
import { startApi } from './api.js';
import { startBatches } from './batches.js';
import { startBusinessMetrics } from './business.js';
import { startEvents } from './events.js';
import { startImports } from './imports.js';
import { startNotifications } from './notifications.js';
import { startWorkflows } from './workflows.js';
import type { Workload } from './workload.js';

/** Starts one simulated workload of every domain, each on its own instrumentation wired to `wiring`. */
export async function startAllWorkloads(wiring: InstrumentationOptions): Promise<Workload[]> {
  return [
    startWorkflows(new WorkflowInstrumentation(wiring)),
    startEvents(new EventInstrumentation(wiring)),
    startNotifications(new NotifyInstrumentation(wiring)),
    startBatches(new BatchInstrumentation(wiring)),
    startImports(new ModuleInstrumentation({ ...wiring, module: 'dataimport' })),
    startBusinessMetrics(new CustomMetrics(wiring)),
    await startApi(new ApiInstrumentation(wiring), new FetchInstrumentation(wiring)),
  ];
}
