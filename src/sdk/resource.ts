import {
  defaultResource,
  detectResources,
  hostDetector,
  osDetector,
  processDetector,
  type Resource,
  type ResourceDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { ResolvedConfig } from './config.js';
import type { ResourceDetectorName } from './env.js';

/** The standard detectors by their `OTEL_NODE_RESOURCE_DETECTORS` name (`env` is read by opmeter). */
const DETECTORS: Readonly<Record<Exclude<ResourceDetectorName, 'env'>, ResourceDetector>> = {
  host: hostDetector,
  os: osDetector,
  process: processDetector,
  serviceinstance: serviceInstanceIdDetector,
};

/**
 * Attributes a detector finds that opmeter leaves out: a command line can carry secrets (passwords,
 * tokens in URLs), and the resource is served to every scraper in `target_info`.
 */
const WITHHELD = ['process.command_args', 'process.command_line'] as const;

/**
 * The SDK default resource (`telemetry.sdk.*`), then the detectors' attributes (a UUID
 * `service.instance.id` per process, `host.*`, `os.*`, `process.*`), then the configured attributes
 * and `service.name`; later wins. Async because some detectors (the host id) answer asynchronously.
 */
export async function buildResource(config: ResolvedConfig): Promise<Resource> {
  const detectors = config.resourceDetectors.flatMap((name) =>
    name === 'env' ? [] : [DETECTORS[name]],
  );
  const detected = detectResources({ detectors });
  await detected.waitForAsyncAttributes?.();
  const attributes = { ...detected.attributes };
  for (const key of WITHHELD) delete attributes[key];
  return defaultResource().merge(
    resourceFromAttributes({
      ...attributes,
      ...config.resourceAttributes,
      [ATTR_SERVICE_NAME]: config.serviceName,
    }),
  );
}
