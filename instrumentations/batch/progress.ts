import { diag } from '@opentelemetry/api';
import { terminalText } from '../../src/core/terminal-text.js';

/** The part of a writable stream the progress line needs (`process.stderr` fits). */
export interface ProgressStream {
  /** True only for a terminal; the line is never written otherwise. */
  readonly isTTY?: boolean;
  /** Writes a chunk of text. */
  write(chunk: string): unknown;
}

/** Options of the progress line. */
export interface ProgressOptions {
  /** Where to draw. Default `process.stderr`. */
  stream?: ProgressStream;
  /** Least time between two redraws, milliseconds. Default 250. */
  intervalMs?: number;
}

/** Redraws happen at most this often by default. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 250;
const CLEAR_TO_END_OF_LINE = '\x1b[K';

/**
 * A one-line progress display (`CODE 42/120 files 35.0% | 3.20 files/s | ETA 0:24`) redrawn in
 * place with `\r`, throttled to one redraw per interval. Built only for a terminal stream: use
 * {@link createProgressLine}, which returns undefined when the stream is not a TTY.
 */
export class ProgressLine {
  private lastDrawnAt = Number.NEGATIVE_INFINITY;
  private broken = false;

  /** Creates a progress line for batch `label` drawing on `stream`. */
  constructor(
    private readonly label: string,
    private readonly stream: ProgressStream,
    private readonly intervalSeconds: number,
  ) {}

  /** Notes that `done` files of `total` (or null) ended after `elapsedSeconds`; redraws if due. */
  update(done: number, total: number | null, elapsedSeconds: number): void {
    if (elapsedSeconds - this.lastDrawnAt < this.intervalSeconds) return;
    this.draw(done, total, elapsedSeconds);
  }

  /** Draws the final figures and ends the line, so later output starts on a fresh line. */
  finish(done: number, total: number | null, elapsedSeconds: number): void {
    this.draw(done, total, elapsedSeconds);
    this.write('\n');
  }

  private draw(done: number, total: number | null, elapsedSeconds: number): void {
    this.lastDrawnAt = elapsedSeconds;
    this.write(
      `\r${formatProgress(this.label, done, total, elapsedSeconds)}${CLEAR_TO_END_OF_LINE}`,
    );
  }

  /** Writes `chunk`; a stream whose write throws is warned about once and not written again. */
  private write(chunk: string): void {
    if (this.broken) return;
    try {
      this.stream.write(chunk);
    } catch (error) {
      this.broken = true;
      diag.warn(
        'opmeter: the batch progress stream threw on write; progress is no longer drawn',
        error,
      );
    }
  }
}

/** A progress line on `options.stream` (default stderr), or undefined when it is not a TTY. */
export function createProgressLine(
  label: string,
  options: ProgressOptions = {},
): ProgressLine | undefined {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY !== true) return undefined;
  const interval = options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  const safeInterval = Number.isFinite(interval) && interval > 0 ? interval : 0;
  return new ProgressLine(label, stream, safeInterval / 1000);
}

/** The text of one progress line (control characters in the label escaped). */
export function formatProgress(
  label: string,
  done: number,
  total: number | null,
  elapsedSeconds: number,
): string {
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const parts = [`${terminalText(label)} ${done}${total === null ? '' : `/${total}`} files`];
  if (total !== null && total > 0)
    parts[0] += ` ${((Math.min(done, total) / total) * 100).toFixed(1)}%`;
  parts.push(`${rate.toFixed(2)} files/s`);
  if (total !== null && rate > 0)
    parts.push(`ETA ${formatClock(Math.max(total - done, 0) / rate)}`);
  return parts.join(' | ');
}

/** Seconds as `m:ss` or `h:mm:ss`. */
export function formatClock(seconds: number): string {
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
