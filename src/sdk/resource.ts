import { defaultResource, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { ResolvedConfig } from './config.js';

/** The SDK default resource (`telemetry.sdk.*`) merged with the configured attributes and `service.name`. */
export function buildResource(config: ResolvedConfig): Resource {
  return defaultResource().merge(
    resourceFromAttributes({
      ...config.resourceAttributes,
      [ATTR_SERVICE_NAME]: config.serviceName,
    }),
  );
}
