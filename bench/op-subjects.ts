import {
  peerTask as eventPeerTask,
  rawOtelTask as eventRawTask,
  MANY_TYPES,
  opmeterStartEndTask,
} from './event.bench.js';
import type { Task } from './harness.js';
import { PEERS } from './peers.js';
import {
  opmeterTask,
  peerTask as workflowPeerTask,
  rawOtelTask as workflowRawTask,
} from './workflow.bench.js';

/** One operation workload counted by the op-instructions suite: the timed suites' own tasks. */
export interface OpSubject {
  /** Unique id, passed to the child process. */
  readonly id: string;
  /** The operation (`event op`, `workflow op + stats + rows`) and the case. */
  readonly operation: string;
  /** Who records it: opmeter, raw OTel or a peer's name. */
  readonly recorder: string;
  readonly task: () => Task;
}

function subjects(operation: string, tasks: Record<string, () => Task>): OpSubject[] {
  return Object.entries(tasks).map(([recorder, task]) => ({
    id: `${operation}|${recorder}`,
    operation,
    recorder,
    task,
  }));
}

function peers(task: (peer: (typeof PEERS)[number]) => Task): Record<string, () => Task> {
  return Object.fromEntries(PEERS.map((peer) => [peer.name, () => task(peer)]));
}

/** Every subject: the event op at 4 and 10k types, the workflow op with stats and rows. */
export const OP_SUBJECTS: readonly OpSubject[] = [
  ...subjects('event op, 4 types', {
    opmeter: () => opmeterStartEndTask('opmeter', false),
    'raw OTel': () => eventRawTask(),
    ...peers((peer) => eventPeerTask(peer)),
  }),
  ...subjects('event op, 10k types', {
    opmeter: () => opmeterStartEndTask('opmeter', false, MANY_TYPES),
    'raw OTel': () => eventRawTask(MANY_TYPES),
    ...peers((peer) => eventPeerTask(peer, MANY_TYPES)),
  }),
  ...subjects('workflow op + stats + rows', {
    opmeter: () => opmeterTask('opmeter', true),
    'raw OTel': () => workflowRawTask(),
    ...peers((peer) => workflowPeerTask(peer)),
  }),
];
