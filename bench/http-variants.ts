import type { Server } from 'node:http';
import {
  ApiInstrumentation,
  expressMiddleware,
  fastifyPlugin,
  instrumentServer,
} from '../instrumentations/api/index.js';
import { SessionStats } from '../src/stats/session-stats.js';
import { CONTRIB_VARIANT } from './http-contrib.js';
import {
  type FloorAttributes,
  otelFloorRequestRecorder,
  peerRequestRecorder,
  type RequestRecorder,
  rawOtelRequestRecorder,
} from './http-peers.js';
import {
  expressServer,
  fastifyServer,
  nodeHttpServer,
  plainRoute,
  type ServerKind,
  uninstrumentedServer,
} from './http-servers.js';
import { PEERS } from './peers.js';
import { benchMeterProvider, RingRowSink } from './support.js';

/** The variant recording opmeter's default series by hand through `@opentelemetry/api`. */
export const RAW_OTEL_VARIANT = 'raw OTel calls';

/** The variants of the least one duration record costs through the OTel SDK, by attribute set. */
export const FLOOR_VARIANTS: Readonly<Record<string, FloorAttributes>> = {
  'OTel floor (7 attributes)': 'opmeter',
  'OTel floor (5 attributes)': 'semconv',
};

/** What the floor variants measure, for the tables. */
export const FLOOR_NOTE =
  "The OTel floor variants are the least a duration record costs through the SDK: a finish listener, two clock reads and one histogram.record() of an attribute set built once and reused, with opmeter's 7 default attributes or the 5 semconv ones alone (no endpoint code, no package); no active requests, no route lookup.";

/** Every instrumentation a server is measured under, by the name the table gives it; `none` first. */
export const HTTP_VARIANTS: readonly HttpVariant[] = [
  'none',
  'opmeter',
  'opmeter (metrics only)',
  RAW_OTEL_VARIANT,
  ...Object.keys(FLOOR_VARIANTS),
  ...PEERS.map((peer) => peer.name),
  CONTRIB_VARIANT,
];

/** One instrumentation of a server, by its table name. */
export type HttpVariant = string;

/** opmeter with stats and rows, or with its MeterProvider only (`metrics only`). */
function instrumentation(variant: HttpVariant): ApiInstrumentation {
  const meterProvider = benchMeterProvider();
  if (variant === 'opmeter (metrics only)') return new ApiInstrumentation({ meterProvider });
  return new ApiInstrumentation({
    meterProvider,
    rows: new RingRowSink(),
    stats: new SessionStats(),
  });
}

/** How one server kind is built under opmeter and under metrics recorded by hand. */
interface KindBuilder {
  opmeter(instrumentation: ApiInstrumentation): Promise<Server> | Server;
  byHand(record: RequestRecorder): Promise<Server> | Server;
}

const BUILDERS: Record<ServerKind, KindBuilder> = {
  'node:http': {
    opmeter: (api) => {
      const server = nodeHttpServer();
      instrumentServer(server, api, { route: plainRoute });
      return server;
    },
    byHand: (record) => nodeHttpServer((req, res) => record(req, res, () => plainRoute(req))),
  },
  'express 5': {
    opmeter: (api) => expressServer((app) => app.use(expressMiddleware(api))),
    byHand: (record) => {
      return expressServer((app) =>
        app.use((req, res, next) => {
          record(req, res, () => (req.route as { path?: string } | undefined)?.path);
          next();
        }),
      );
    },
  },
  'fastify 5': {
    opmeter: (api) =>
      fastifyServer(async (app) => {
        await app.register(fastifyPlugin(api));
      }),
    byHand: (record) => {
      return fastifyServer((app) => {
        app.addHook('onRequest', (request, reply, done) => {
          record(request.raw, reply.raw, () => request.routeOptions.url);
          done();
        });
      });
    },
  },
};

/**
 * The server of `kind` under `variant`. `none` and the instrumentation-http variant get the
 * uninstrumented server: instrumentation-http is registered for the whole process beforehand.
 */
export function variantServer(kind: ServerKind, variant: HttpVariant): Promise<Server> | Server {
  if (variant === 'opmeter' || variant === 'opmeter (metrics only)') {
    return BUILDERS[kind].opmeter(instrumentation(variant));
  }
  if (variant === RAW_OTEL_VARIANT) return BUILDERS[kind].byHand(rawOtelRequestRecorder());
  const floor = FLOOR_VARIANTS[variant];
  if (floor !== undefined) return BUILDERS[kind].byHand(otelFloorRequestRecorder(floor));
  const peer = PEERS.find((p) => p.name === variant);
  if (peer !== undefined) return BUILDERS[kind].byHand(peerRequestRecorder(peer));
  if (variant === 'none' || variant === CONTRIB_VARIANT) return uninstrumentedServer(kind);
  throw new Error(`unknown HTTP variant ${variant}`);
}
