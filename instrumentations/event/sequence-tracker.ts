import type { Attributes, Counter, Meter } from '@opentelemetry/api';
import type { InputGuard } from '../../src/core/input-guard.js';
import { MAX_ATTRIBUTE_VALUE_LENGTH } from '../../src/core/input-guard.js';
import { ADJUSTMENT_NEGATIVE, ADJUSTMENT_NOT_FINITE } from '../../src/core/self-metrics.js';
import { isRecordingEnabled } from '../../src/core/switch.js';
import {
  ADJUSTMENT_NOT_AN_INTEGER,
  ATTR_EVENT_SEQUENCE_OUTCOME,
  ATTR_EVENT_STREAM,
  METRIC_EVENT_SEQUENCE_ANOMALIES,
  METRIC_EVENT_SEQUENCE_GAPS,
  METRIC_EVENT_SEQUENCE_UNTRACKED,
  SEQUENCE_OUTCOME_VALUE_DUPLICATE,
  SEQUENCE_OUTCOME_VALUE_FIRST,
  SEQUENCE_OUTCOME_VALUE_GAP,
  SEQUENCE_OUTCOME_VALUE_IN_ORDER,
  SEQUENCE_OUTCOME_VALUE_OUT_OF_ORDER,
  SEQUENCE_OUTCOME_VALUE_RESET,
  SEQUENCE_OUTCOME_VALUE_UNTRACKED,
  SEQUENCE_REORDER_WINDOW,
} from './semconv.js';
import type { SequenceOutcome } from './types.js';

const FIELD_SEQUENCE = 'event.sequence';
const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** The counters a stream reports to (replaced in place when a new meter arrives). */
interface SequenceCounters {
  gaps: Counter;
  anomalies: Counter;
}

/**
 * The state of one sequenced stream: the highest number seen and a 32-bit window of which of the
 * 32 numbers up to it arrived (bit i set = `highest - i` seen), as in anti-replay windows.
 */
class StreamState {
  private readonly stream: Attributes;
  private readonly gap: Attributes;
  private readonly duplicate: Attributes;
  private readonly late: Attributes;
  private readonly reset: Attributes;
  private window = 1;

  constructor(
    name: string,
    private highest: number,
    private readonly counters: SequenceCounters,
    private readonly maxGap: number,
  ) {
    this.stream = { [ATTR_EVENT_STREAM]: name };
    this.gap = outcomeAttributes(name, SEQUENCE_OUTCOME_VALUE_GAP);
    this.duplicate = outcomeAttributes(name, SEQUENCE_OUTCOME_VALUE_DUPLICATE);
    this.late = outcomeAttributes(name, SEQUENCE_OUTCOME_VALUE_OUT_OF_ORDER);
    this.reset = outcomeAttributes(name, SEQUENCE_OUTCOME_VALUE_RESET);
  }

  /** Classifies `seq` against what was seen, counts anomalies, and moves the window. */
  next(seq: number): SequenceOutcome {
    const ahead = seq - this.highest;
    if (ahead === 1) {
      this.highest = seq;
      this.window = (this.window << 1) | 1;
      return SEQUENCE_OUTCOME_VALUE_IN_ORDER;
    }
    if (ahead > 1 && ahead <= this.maxGap) {
      this.highest = seq;
      this.window = ahead < SEQUENCE_REORDER_WINDOW ? (this.window << ahead) | 1 : 1;
      this.counters.gaps.add(ahead - 1, this.stream);
      this.counters.anomalies.add(1, this.gap);
      return SEQUENCE_OUTCOME_VALUE_GAP;
    }
    const behind = -ahead;
    if (behind >= 0 && behind < SEQUENCE_REORDER_WINDOW) {
      const bit = 1 << behind;
      if ((this.window & bit) !== 0) {
        this.counters.anomalies.add(1, this.duplicate);
        return SEQUENCE_OUTCOME_VALUE_DUPLICATE;
      }
      this.window |= bit;
      this.counters.anomalies.add(1, this.late);
      return SEQUENCE_OUTCOME_VALUE_OUT_OF_ORDER;
    }
    this.highest = seq;
    this.window = 1;
    this.counters.anomalies.add(1, this.reset);
    return SEQUENCE_OUTCOME_VALUE_RESET;
  }
}

/**
 * Packet-loss tracking per stream with bounded memory: at most `maxStreams` streams are kept;
 * numbers of further streams are only counted on `event.sequence.untracked`.
 */
export class SequenceTracker {
  private readonly streams = new Map<string, StreamState>();
  private readonly counters: SequenceCounters;
  private untracked!: Counter;

  /** Creates the sequence instruments on `meter`. */
  constructor(
    meter: Meter,
    private readonly guard: InputGuard,
    private readonly maxStreams: number,
    private readonly maxGap: number,
  ) {
    this.counters = {} as SequenceCounters;
    this.bind(meter);
  }

  /** (Re)creates the sequence counters on `meter`; tracked streams keep their state. */
  bind(meter: Meter): void {
    this.counters.gaps = meter.createCounter(METRIC_EVENT_SEQUENCE_GAPS, {
      description: 'Sequence numbers skipped by a stream (lost unless they arrive late)',
      unit: '{event}',
    });
    this.counters.anomalies = meter.createCounter(METRIC_EVENT_SEQUENCE_ANOMALIES, {
      description: 'Sequence numbers that did not follow the highest one seen, by outcome',
      unit: '{event}',
    });
    this.untracked = meter.createCounter(METRIC_EVENT_SEQUENCE_UNTRACKED, {
      description: 'Sequence numbers not examined because the tracked-stream cap was reached',
      unit: '{event}',
    });
  }

  /** Classifies sequence number `seq` of `stream`; see {@link SequenceOutcome}. Never throws. */
  track(stream: string, seq: number): SequenceOutcome {
    if (!isRecordingEnabled()) return SEQUENCE_OUTCOME_VALUE_UNTRACKED;
    if (!(Number.isSafeInteger(seq) && seq >= 0)) {
      this.guard.count(FIELD_SEQUENCE, invalidReason(seq));
      return SEQUENCE_OUTCOME_VALUE_UNTRACKED;
    }
    const state = this.streams.get(stream);
    if (state !== undefined) return state.next(seq);
    return this.begin(stream, seq);
  }

  /** Stops tracking `stream` (e.g. its sender disconnected), freeing its slot. */
  forget(stream: string): boolean {
    return this.streams.delete(this.keyOf(stream));
  }

  private begin(stream: unknown, seq: number): SequenceOutcome {
    const name = this.keyOf(stream);
    const known = this.streams.get(name);
    if (known !== undefined) return known.next(seq);
    if (this.streams.size >= this.maxStreams) {
      this.untracked.add(1, NO_ATTRIBUTES);
      return SEQUENCE_OUTCOME_VALUE_UNTRACKED;
    }
    this.streams.set(name, new StreamState(name, seq, this.counters, this.maxGap));
    return SEQUENCE_OUTCOME_VALUE_FIRST;
  }

  private keyOf(stream: unknown): string {
    if (typeof stream === 'string' && stream.length <= MAX_ATTRIBUTE_VALUE_LENGTH) return stream;
    return this.guard.text(stream, ATTR_EVENT_STREAM);
  }
}

/** Not frozen: the SDK hashes a frozen attribute object at almost twice the cost. */
function outcomeAttributes(stream: string, outcome: string): Attributes {
  return { [ATTR_EVENT_STREAM]: stream, [ATTR_EVENT_SEQUENCE_OUTCOME]: outcome };
}

function invalidReason(seq: unknown): string {
  if (typeof seq !== 'number') return ADJUSTMENT_NOT_AN_INTEGER;
  if (!Number.isFinite(seq)) return ADJUSTMENT_NOT_FINITE;
  if (seq < 0) return ADJUSTMENT_NEGATIVE;
  return ADJUSTMENT_NOT_AN_INTEGER;
}
