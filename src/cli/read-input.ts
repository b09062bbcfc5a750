import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/** Default size limit of a file a CLI command reads whole: 64 MiB. */
export const DEFAULT_INPUT_LIMIT_BYTES = 64 * 1024 * 1024;
const MIB = 1024 * 1024;

/** Thrown when an input file is larger than the command accepts; the message names the flag to raise it. */
export class InputTooLargeError extends Error {
  override name = 'InputTooLargeError';
}

/**
 * Reads a UTF-8 text file in chunks, stopping as soon as it passes `maxBytes` (a regular file is
 * refused by its size before any read, a pipe or device after `maxBytes` read), so an oversized
 * input never lands in memory. `flag` names the option that raises the limit, for the error message.
 * @throws InputTooLargeError past the limit; the file system's error when it cannot be read.
 */
export async function readTextLimited(
  path: string,
  maxBytes: number,
  flag: string,
): Promise<string> {
  const tooLarge = (size: string) =>
    new InputTooLargeError(
      `${path} is ${size}, over the limit of ${formatMiB(maxBytes)}: ` +
        `pass ${flag} <MiB> to read a larger file`,
    );
  const info = await stat(path);
  if (info.isFile() && info.size > maxBytes) throw tooLarge(formatMiB(info.size));
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  let read = 0;
  const stream = createReadStream(path, { highWaterMark: MIB });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    read += chunk.length;
    if (read > maxBytes) {
      stream.destroy();
      throw tooLarge(`more than ${formatMiB(maxBytes)}`);
    }
    parts.push(decoder.write(chunk));
  }
  parts.push(decoder.end());
  return parts.join('');
}

function formatMiB(bytes: number): string {
  return `${(bytes / MIB).toFixed(bytes < MIB ? 3 : 1)} MiB`;
}
