import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { unpackFromRegistry } from './registry.js';

/** An OTLP attribute as decoded (JSON mapping of the protobuf message). */
export interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string; boolValue?: boolean };
}
/** A number or histogram data point as decoded. */
export interface OtlpPoint {
  attributes: OtlpAttribute[];
  asInt?: number | string;
  asDouble?: number;
  count?: number | string;
  sum?: number;
  bucketCounts?: (number | string)[];
  explicitBounds?: number[];
  scale?: number;
  startTimeUnixNano?: string;
  timeUnixNano?: string;
}
/** A metric as decoded. */
export interface OtlpMetric {
  name: string;
  unit: string;
  description?: string;
  sum?: { dataPoints: OtlpPoint[]; isMonotonic: boolean; aggregationTemporality: number };
  gauge?: { dataPoints: OtlpPoint[] };
  histogram?: { dataPoints: OtlpPoint[]; aggregationTemporality: number };
  exponentialHistogram?: { dataPoints: OtlpPoint[] };
}
/** An `ExportMetricsServiceRequest` as decoded. */
export interface OtlpRequest {
  resourceMetrics: {
    resource: { attributes: OtlpAttribute[] };
    scopeMetrics: { scope: { name: string; version?: string }; metrics: OtlpMetric[] }[];
  }[];
}
/** One request the receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  /** Size of the body on the wire (compressed when it was). */
  wireBytes: number;
  body: OtlpRequest;
}

/** The official OTLP definitions, as shipped in a package of the OpenTelemetry JS project. */
const PROTO_PACKAGE = '@opentelemetry/otlp-grpc-exporter-base@0.38.0';
const SERVICE_PROTO = 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto';
const REQUEST_TYPE = 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest';

/**
 * The `ExportMetricsServiceRequest` type compiled by protobufjs from the official `.proto` files,
 * or `undefined` (after a loud warning) when they cannot be downloaded outside CI.
 */
export function loadOtlpRequestType(): protobuf.Type | undefined {
  const unpacked = unpackFromRegistry(PROTO_PACKAGE);
  if (unpacked === undefined) return undefined;
  const protos = join(unpacked, 'build', 'protos');
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(protos, target);
  root.loadSync(SERVICE_PROTO);
  return root.lookupType(REQUEST_TYPE);
}

/** Decodes a protobuf body into the OTLP/JSON shape (camelCase, enums as numbers, 64-bit ints as strings). */
export function decodeProtobuf(type: protobuf.Type, body: Uint8Array): OtlpRequest {
  const message = type.decode(body);
  return type.toObject(message, { longs: String, enums: Number, bytes: String }) as OtlpRequest;
}

/** A running OTLP/HTTP receiver. */
export interface OtlpReceiver {
  /** Base URL, e.g. `http://127.0.0.1:40123` (push to `${url}/v1/metrics`). */
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * An OTLP/HTTP metrics receiver on loopback: it decodes `application/x-protobuf` bodies with the
 * official definitions and `application/json` ones with `JSON.parse`, gunzipping first when the
 * request says `content-encoding: gzip`. An undecodable body is answered 400 and kept out of `received`.
 */
export async function startOtlpReceiver(requestType: protobuf.Type): Promise<OtlpReceiver> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const wire = Buffer.concat(chunks);
      try {
        const raw = request.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
        const type = request.headers['content-type'];
        const body =
          type === 'application/x-protobuf'
            ? decodeProtobuf(requestType, raw)
            : (JSON.parse(raw.toString('utf8')) as OtlpRequest);
        received.push({ headers: request.headers, wireBytes: wire.length, body });
        response.writeHead(200, { 'content-type': type ?? 'application/json' }).end();
      } catch (error) {
        response.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Every metric of every request, in arrival order. */
export function metricsOf(received: readonly Received[]): OtlpMetric[] {
  return received.flatMap((r) =>
    r.body.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics)),
  );
}

/** A data point's (or resource's) attributes as a plain object. */
export function attributesOf(
  list: readonly OtlpAttribute[],
): Record<string, string | number | boolean> {
  return Object.fromEntries(
    list.map((a) => [a.key, a.value.stringValue ?? a.value.boolValue ?? Number(a.value.intValue)]),
  );
}
