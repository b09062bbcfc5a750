import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestOf } from './registry.js';

type Write = ServerResponse['write'];
type End = ServerResponse['end'];
type Push = IncomingMessage['push'];

const originalWrite = new WeakMap<object, Write>();
const originalEnd = new WeakMap<object, End>();
const originalPush = new WeakMap<object, Push>();

/**
 * Counts the body bytes written to `res` (after any compression installed later, i.e. what goes
 * to the socket), by interposing shared functions on its `write` and `end`.
 */
export function countResponseBytes(res: ServerResponse): void {
  originalWrite.set(res, res.write);
  originalEnd.set(res, res.end);
  res.write = countingWrite as Write;
  res.end = countingEnd as End;
}

/**
 * The request body size: `Content-Length` when declared; for a chunked body, the bytes received,
 * counted as they are pushed into `req`. Returns the declared size, or 0 while counting.
 */
export function declaredRequestBytes(req: IncomingMessage): number {
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    const bytes = Number(declared);
    return Number.isFinite(bytes) && bytes >= 0 ? bytes : 0;
  }
  if (req.headers['transfer-encoding'] !== undefined) {
    originalPush.set(req, req.push);
    req.push = countingPush as Push;
  }
  return 0;
}

function countingWrite(this: ServerResponse, chunk: unknown, ...rest: unknown[]): boolean {
  count(this, chunk, rest[0]);
  const write = originalWrite.get(this) as (...args: unknown[]) => boolean;
  return write.call(this, chunk, ...rest);
}

function countingEnd(this: ServerResponse, chunk?: unknown, ...rest: unknown[]): ServerResponse {
  count(this, chunk, rest[0]);
  const end = originalEnd.get(this) as (...args: unknown[]) => ServerResponse;
  return end.call(this, chunk, ...rest);
}

function countingPush(this: IncomingMessage, chunk: unknown, encoding?: unknown): boolean {
  const request = requestOf(this);
  if (request !== undefined && !request.isEnded) {
    request.fields.requestBytes += byteLength(chunk, encoding);
  }
  const push = originalPush.get(this) as (chunk: unknown, encoding?: unknown) => boolean;
  return push.call(this, chunk, encoding);
}

function count(res: ServerResponse, chunk: unknown, encoding: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const request = requestOf(res);
  if (request !== undefined) request.fields.responseBytes += byteLength(chunk, encoding);
}

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') {
    return Buffer.byteLength(
      chunk,
      typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
    );
  }
  if (ArrayBuffer.isView(chunk)) return chunk.byteLength;
  return 0;
}
