import { DEFAULT_PROGRESS_INTERVAL_MS } from '../../instrumentations/batch/progress.js';

/** The part of a stream the progress line writes to (`process.stderr` fits). */
export interface RowProgressStream {
  readonly isTTY?: boolean;
  write(chunk: string): unknown;
}

/** Options of {@link createRowProgress}. */
export interface RowProgressOptions {
  /** Where to draw (default `process.stderr`). */
  readonly stream?: RowProgressStream;
  /** Draw even when the stream is not a terminal (`--progress`). */
  readonly force?: boolean;
  /** Least time between two redraws, milliseconds (default 250). */
  readonly intervalMs?: number;
  /** Clock in milliseconds, for tests (default `performance.now()`). */
  readonly now?: () => number;
}

/** A progress callback: rows read so far and the total expected. */
export type RowProgress = ((read: number, total: number) => void) & {
  /** Ends the line, so later output starts on a fresh line (once; later calls do nothing). */
  finish(): void;
};

const CLEAR_TO_END_OF_LINE = '\x1b[K';

/**
 * A one-line progress display while a table is read (`reading def_x_metric 120000/200000 rows
 * 60.0% | 85000 rows/s`), redrawn in place with `\r` at most every 250 ms, like the batch progress
 * line; undefined when the stream is not a terminal, unless `force` is set.
 */
export function createRowProgress(
  label: string,
  options: RowProgressOptions = {},
): RowProgress | undefined {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY !== true && options.force !== true) return undefined;
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  const started = now();
  let lastDrawn = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let finished = false;
  let last: [number, number] = [0, 0];
  const draw = (read: number, total: number) => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(read / seconds) : 0;
    const percent = total > 0 ? ` ${((Math.min(read, total) / total) * 100).toFixed(1)}%` : '';
    stream.write(
      `\r${label} ${read}/${total} rows${percent} | ${rate} rows/s${CLEAR_TO_END_OF_LINE}`,
    );
    drawn = true;
  };
  const progress = ((read: number, total: number) => {
    if (finished) return;
    last = [read, total];
    const at = now();
    if (at - lastDrawn < interval && read < total) return;
    lastDrawn = at;
    draw(read, total);
  }) as RowProgress;
  progress.finish = () => {
    if (finished) return;
    finished = true;
    if (!drawn) draw(...last);
    stream.write('\n');
  };
  return progress;
}
