import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConnectionUrl } from '../../src/def-metric/dialect/connection-url.js';
import { ROOT } from './known-names.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

function service(name: string): Service {
  const found = services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** The host path (relative to the repository) a container path of `name` is mounted from. */
function hostPathOf(name: string, containerPath: string): string | undefined {
  for (const volume of service(name).volumes ?? []) {
    const [source = '', target = ''] = volume.split(':');
    if (!source.startsWith('./')) continue;
    if (containerPath === target) return source;
    if (containerPath.startsWith(`${target}/`)) {
      return `${source}/${containerPath.slice(target.length + 1)}`;
    }
  }
  return undefined;
}

/** `host:port` of a URL or target, checked to name a compose service. */
function serviceAddress(address: string): { host: string; port: string } {
  const { hostname, port } = new URL(address.includes('://') ? address : `http://${address}`);
  expect(Object.keys(services), address).toContain(hostname);
  return { host: hostname, port };
}

function portOf(endpoint: string): string {
  return endpoint.slice(endpoint.lastIndexOf(':') + 1);
}

describe('docker-compose.yml', () => {
  it('runs the demo, prometheus, grafana, the collector and mariadb', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['demo', 'grafana', 'mariadb', 'otel-collector', 'prometheus'].sort(),
    );
    for (const [name, definition] of Object.entries(services)) {
      if (definition.build === undefined) expect(definition.image, name).toMatch(/:[\w.-]+$/);
    }
  });

  it('mounts only files and folders that exist, and declares its named volumes', () => {
    for (const [name, definition] of Object.entries(services)) {
      for (const volume of definition.volumes ?? []) {
        const [source = ''] = volume.split(':');
        if (source.startsWith('./'))
          expect(existsSync(join(ROOT, source)), `${name}: ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name}: ${source}`).toContain(source);
      }
    }
  });

  it('builds the demo from the Dockerfile: Node 24, npm ci, build, the demo entry point', () => {
    const build = service('demo').build;
    expect(existsSync(join(ROOT, build?.context ?? '', build?.dockerfile ?? ''))).toBe(true);
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:24[\w.-]*/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toMatch(/OTEL_EXPORTER_PROMETHEUS_HOST=0\.0\.0\.0/);
    for (const copy of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of copy[1]?.split(' ') ?? []) {
        expect(existsSync(join(ROOT, source)), `COPY ${source}`).toBe(true);
      }
    }
    const entry = /^CMD \[.*"(dist\/[^"]+)"\]$/m.exec(dockerfile)?.[1] ?? '';
    const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    expect(existsSync(join(ROOT, source)), entry).toBe(true);
  });

  it('lets the demo reach mariadb, the collector and be scraped on all interfaces', () => {
    const env = service('demo').environment ?? {};
    expect(env.OTEL_EXPORTER_PROMETHEUS_HOST).toBe('0.0.0.0');
    const url = parseConnectionUrl(env.OPMETER_DEF_METRIC_URL ?? '');
    if (url.kind !== 'mysql') throw new Error('the demo must write rows to mariadb');
    expect(url.host).toBe('mariadb');
    expect(url.database).toBe(service('mariadb').environment?.MARIADB_DATABASE);
    expect(url.user).toBe('root');
    expect(service('mariadb').environment?.MARIADB_ALLOW_EMPTY_ROOT_PASSWORD).toBe('1');
    expect(service('demo').depends_on).toMatchObject({ mariadb: { condition: 'service_healthy' } });
    expect(service('mariadb').healthcheck?.test.length).toBeGreaterThan(0);

    const collector = parse(read('otel-collector.yaml')) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      exporters: { prometheus: { endpoint: string } };
      service: { pipelines: { metrics: { receivers: string[]; exporters: string[] } } };
    };
    const otlp = serviceAddress(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '');
    expect(otlp.host).toBe('otel-collector');
    expect(otlp.port).toBe(portOf(collector.receivers.otlp.protocols.http.endpoint));
    expect(collector.service.pipelines.metrics.receivers).toContain('otlp');
    expect(collector.service.pipelines.metrics.exporters).toEqual(
      expect.arrayContaining(['prometheus', 'debug']),
    );
    const mounted = service('otel-collector').command?.[0]?.replace(/^--config=/, '') ?? '';
    expect(hostPathOf('otel-collector', mounted)).toBe('./otel-collector.yaml');
  });

  it('points prometheus at its mounted config, which scrapes the demo and the collector', () => {
    const args = service('prometheus').command ?? [];
    const configPath = args.find((a) => a.startsWith('--config.file='))?.split('=')[1] ?? '';
    const hostConfig = hostPathOf('prometheus', configPath);
    expect(hostConfig).toBe('./prometheus/prometheus.compose.yml');
    const config = parse(read(hostConfig ?? '')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    expect(config.rule_files).toEqual(['*.rules.yml']);
    const targets = Object.fromEntries(
      config.scrape_configs.map((job) => [job.job_name, job.static_configs[0]?.targets[0] ?? '']),
    );
    const demo = serviceAddress(targets['opmeter-demo'] ?? '');
    expect(demo).toEqual({
      host: 'demo',
      port: service('demo').environment?.OTEL_EXPORTER_PROMETHEUS_PORT,
    });
    const collectorExporter = (
      parse(read('otel-collector.yaml')) as { exporters: { prometheus: { endpoint: string } } }
    ).exporters.prometheus.endpoint;
    expect(serviceAddress(targets['otel-collector'] ?? '')).toEqual({
      host: 'otel-collector',
      port: portOf(collectorExporter),
    });
  });

  it('provisions grafana with the prometheus datasource and the mounted dashboards', () => {
    const datasources = parse(read('grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { type: string; url: string; uid: string }[];
    };
    const prometheus = datasources.datasources[0];
    expect(prometheus?.type).toBe('prometheus');
    expect(serviceAddress(prometheus?.url ?? '')).toEqual({ host: 'prometheus', port: '9090' });

    expect(hostPathOf('grafana', '/etc/grafana/provisioning')).toBe('./grafana/provisioning');
    const providers = parse(read('grafana/provisioning/dashboards/opmeter.yml')) as {
      providers: { type: string; options: { path: string } }[];
    };
    const path = providers.providers[0]?.options.path ?? '';
    expect(hostPathOf('grafana', path)).toBe('./grafana/dashboards');
    const home = service('grafana').environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    const homeOnHost = hostPathOf('grafana', home) ?? '';
    expect(existsSync(join(ROOT, homeOnHost)), home).toBe(true);
  });
});
