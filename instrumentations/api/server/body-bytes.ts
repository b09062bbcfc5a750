import { type IncomingMessage, ServerResponse } from 'node:http';
import { requestOf } from './registry.js';

type Write = ServerResponse['write'];
type End = ServerResponse['end'];
type Push = IncomingMessage['push'];

const kWrite = Symbol('opmeter.api.write');
const kEnd = Symbol('opmeter.api.end');
const kPush = Symbol('opmeter.api.push');
const prototypeWrite = ServerResponse.prototype.write;
const prototypeEnd = ServerResponse.prototype.end;

/** A response whose own `write`/`end` were replaced before ours (kept only when not the default). */
type TappedResponse = ServerResponse & { [kWrite]?: Write; [kEnd]?: End };
type TappedRequest = IncomingMessage & { [kPush]?: Push };

/**
 * Counts the body bytes written to `res` (after any compression installed later, i.e. what goes
 * to the socket), by interposing shared functions on its `write` and `end`.
 */
export function countResponseBytes(res: ServerResponse): void {
  const tapped = res as TappedResponse;
  if (res.write !== prototypeWrite) tapped[kWrite] = res.write;
  if (res.end !== prototypeEnd) tapped[kEnd] = res.end;
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
    (req as TappedRequest)[kPush] = req.push;
    req.push = countingPush as Push;
  }
  return 0;
}

type Writer<R> = (chunk: unknown, encoding: unknown, callback: unknown) => R;

function countingWrite(
  this: TappedResponse,
  chunk: unknown,
  encoding?: unknown,
  callback?: unknown,
): boolean {
  count(this, chunk, encoding);
  const write = (this[kWrite] ?? prototypeWrite) as Writer<boolean>;
  return write.call(this, chunk, encoding, callback);
}

function countingEnd(
  this: TappedResponse,
  chunk?: unknown,
  encoding?: unknown,
  callback?: unknown,
): ServerResponse {
  count(this, chunk, encoding);
  const end = (this[kEnd] ?? prototypeEnd) as Writer<ServerResponse>;
  return end.call(this, chunk, encoding, callback);
}

function countingPush(this: TappedRequest, chunk: unknown, encoding?: unknown): boolean {
  const request = requestOf(this);
  if (request !== undefined && !request.isEnded) {
    request.fields.requestBytes += byteLength(chunk, encoding);
  }
  const push = this[kPush] as (chunk: unknown, encoding?: unknown) => boolean;
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
