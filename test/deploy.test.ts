// The deployment artifacts checked without Docker or a cluster: every manifest parses, covers every
// service, and agrees with what the code really listens on, probes and reads from its environment.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  DEFAULT_PORTS,
  DEVELOPMENT_AUTH_SECRET,
  resolveAuthSecret,
  SETTINGS,
  settingsOf,
  SUBGRAPH_NODE_OPTIONS,
  SUBGRAPHS,
  subgraphUrlVariable,
  TOOL_VARIABLES,
  type ServiceName,
} from '@regiograph/shared';
import { ApiKeyStore, GATEWAY_SECRET_VARIABLES, readGatewayConfig } from '@regiograph/gateway';
import { loadAll } from 'js-yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { bundledCode, bundledExport, variablesReadIn } from './service-code';

const root = path.join(__dirname, '..');
const deployDir = path.join(root, 'deploy');
const kubernetesDir = path.join(deployDir, 'kubernetes');

/** The port contract, from the one registry (shared/src/services.ts) the services read it from. */
const PORTS: Record<string, number> = DEFAULT_PORTS;
const SUBGRAPH_NAMES: string[] = SUBGRAPHS.map((entry) => entry.name);
const SERVICE_NAMES = Object.keys(PORTS);
const IMAGE_NAMES = [...SERVICE_NAMES, 'migrate'];

/**
 * Variables read by programs other than ours: the official postgres image, Node itself, and Apollo
 * Server, which reads NODE_ENV on its own (in production it sends no stack traces with errors).
 */
const INFRASTRUCTURE_VARIABLES = new Set(['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD', 'NODE_OPTIONS', 'NODE_ENV']);

/**
 * The port every service serves /metrics on in the deployments (METRICS_PORT), and nothing else:
 * Prometheus is let in to it alone, never to the API's port.
 */
const METRICS_PORT = 9464;
/**
 * The storage period of writers' subjects in the change feeds (docs/privacy.md), read by every subgraph
 * with a write path: one period for all of them, so a subject redacted from one feed is not kept in another.
 */
const ACTOR_RETENTION = 'CHANGE_LOG_ACTOR_RETENTION_DAYS';

/** NODE_OPTIONS as the registry's subgraph options (SUBGRAPH_NODE_OPTIONS) spell it. */
const SUBGRAPH_NODE_OPTIONS_VALUE = SUBGRAPH_NODE_OPTIONS.join(' ');

function read(relative: string): string {
  return readFileSync(path.join(root, relative), 'utf8');
}

function parseYaml(file: string): unknown[] {
  return loadAll(readFileSync(file, 'utf8')).filter((document) => document !== null && document !== undefined);
}

/**
 * Threads an image starts from a file of its own (`new Worker(file)`), which no import reaches: their
 * code runs in the image's process and reads its environment.
 */
const WORKER_ENTRY_POINTS: Record<string, string[]> = { gateway: ['gateway/src/offload-worker.ts'] };

const codeReads = new Map<string, Promise<Set<string>>>();

/**
 * Every environment variable an image's code reads: the code esbuild keeps when it bundles the
 * entry point the Dockerfile builds for the image (and its worker threads) with tree shaking
 * (test/service-code.ts). A variable only the gateway's code reads, set on a subgraph, is reported
 * even when the function reading it lives in shared, which every service loads.
 */
function variablesReadByCode(image: string): Promise<Set<string>> {
  let reads = codeReads.get(image);
  if (!reads) {
    reads = (async () => {
      const entry = imageEntrySources().get(image);
      if (entry === undefined)
        throw new Error(`deploy/docker/Dockerfile builds no ${image} image: add "${image}" to the case "\${SERVICE:-}" of its build step`);
      const main = await bundledCode([entry]);
      // A worker thread nobody declared above would run code this check never saw.
      expect({ image, startsWorkers: /\bnew Worker\d*\(/.test(main) }).toEqual({ image, startsWorkers: image in WORKER_ENTRY_POINTS });
      const workers = WORKER_ENTRY_POINTS[image];
      const names = variablesReadIn(workers ? main + (await bundledCode(workers)) : main);
      // Subgraph URLs are read by computed names (subgraphUrlVariable): the gateway reads every
      // subgraph's, a subgraph its peers' (the registry's `peers`).
      const urlsRead = image === 'gateway' ? SUBGRAPH_NAMES : (SUBGRAPHS.find((entry) => entry.name === image)?.peers ?? []);
      for (const name of urlsRead) names.add(subgraphUrlVariable(name));
      return names;
    })();
    codeReads.set(image, reads);
  }
  return reads;
}

/**
 * The variables that must be alike at the gateway and every subgraph: those shared's
 * readDocumentLimits reads (a subgraph with a lower MAX_DOCUMENT_NESTING refuses documents the
 * gateway admitted and planned). Taken from its code, so a limit added there is covered here.
 */
async function documentLimitVariables(): Promise<string[]> {
  return [...variablesReadIn(await bundledExport('@regiograph/shared', 'readDocumentLimits'))].sort();
}

/** The images whose code reads `variable`. */
async function readersOf(variable: string): Promise<string[]> {
  const readers: string[] = [];
  for (const image of IMAGE_NAMES) if ((await variablesReadByCode(image)).has(variable)) readers.push(image);
  return readers;
}

function unknownVariables(names: Iterable<string>, known: Set<string>): string[] {
  return [...names].filter((name) => !known.has(name) && !INFRASTRUCTURE_VARIABLES.has(name));
}

/** Where Prometheus finds a service's metrics: the annotations (Kubernetes) or labels (compose) it reads. */
const SCRAPE_MARKS: Record<string, string> = {
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': String(METRICS_PORT),
  'prometheus.io/path': '/metrics',
};

/** `${NAME:-default}` resolved to its default, as compose does when NAME is unset. */
function withDefaults(value: string): string {
  return value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
}

function expectPinned(image: string): void {
  const reference = withDefaults(image);
  expect(reference).toMatch(/^[a-z0-9./_-]+:[A-Za-z0-9._-]*\d[A-Za-z0-9._-]*(@sha256:[a-f0-9]{64})?$/);
  expect(reference).not.toMatch(/:latest\b/);
}

// ---------------------------------------------------------------------------------------------
// Compose

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  read_only?: boolean;
  labels?: Record<string, string>;
  expose?: string[];
}

const composeText = read('deploy/compose.yaml');
const compose = parseYaml(path.join(deployDir, 'compose.yaml'))[0] as { services: Record<string, ComposeService> };
const appServices = IMAGE_NAMES.map((name) => [name, compose.services[name]!] as const);

describe('deploy/compose.yaml', () => {
  it('runs PostgreSQL 15, Redis 7, the migration job, every subgraph and the gateway', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...IMAGE_NAMES, 'postgres', 'redis'].sort());
    expect(compose.services.postgres!.image).toMatch(/^postgres:15\.\d+/);
    expect(compose.services.redis!.image).toMatch(/^redis:7\.\d+/);
  });

  it('pins every image to a version', () => {
    for (const service of Object.values(compose.services)) expectPinned(service.image!);
  });

  it.each(IMAGE_NAMES)('builds %s from the one Dockerfile with SERVICE set to its name', (name) => {
    const { build } = compose.services[name]!;
    expect(build?.args?.SERVICE).toBe(name);
    expect(existsSync(path.resolve(deployDir, build!.context, build!.dockerfile))).toBe(true);
    expect(path.resolve(deployDir, build!.context)).toBe(root);
  });

  it.each(SERVICE_NAMES)('gives %s its port, HOST 0.0.0.0 and a health check on /health or /ready', (name) => {
    const service = compose.services[name]!;
    expect(service.environment?.PORT).toBe(String(PORTS[name]));
    expect(service.environment?.HOST).toBe('0.0.0.0');
    expect(service.healthcheck?.test).toEqual(['CMD', 'node', '/app/healthcheck.js', name === 'gateway' ? '/health' : '/ready']);
    expect(service.read_only).toBe(true);
  });

  it.each(SERVICE_NAMES)('labels %s for Prometheus to scrape /metrics on its metrics port, which it exposes and sets', (name) => {
    const service = compose.services[name]!;
    expect(service.labels).toEqual(SCRAPE_MARKS);
    expect(service.expose).toEqual([String(METRICS_PORT)]);
    expect(service.environment?.METRICS_PORT).toBe(String(METRICS_PORT));
  });

  it('starts the subgraphs only after the migration job succeeded, and the gateway after ready subgraphs', () => {
    expect(compose.services.migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of SUBGRAPH_NAMES) {
      // Redis too: a seed bumps the gateways' shared data version there (shared/src/data-version.ts).
      expect(compose.services[name]!.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
      expect(compose.services[name]!.environment).toMatchObject({ REDIS_URL: 'redis://redis:6379' });
    }
    const gatewayDependencies = compose.services.gateway!.depends_on!;
    for (const name of [...SUBGRAPH_NAMES, 'redis']) expect(gatewayDependencies[name]).toEqual({ condition: 'service_healthy' });
    expect(compose.services.postgres!.healthcheck).toBeDefined();
    expect(compose.services.redis!.healthcheck).toBeDefined();
  });

  it('points the gateway at every subgraph by its compose name and port', () => {
    const environment = compose.services.gateway!.environment!;
    for (const name of SUBGRAPH_NAMES) {
      expect(environment[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${PORTS[name]}/graphql`);
    }
    expect(environment.REDIS_URL).toBe('redis://redis:6379');
    expect(environment.NODE_ENV).toBe('production');
  });

  it('points each subgraph at exactly the peers the registry names, by compose name and port', () => {
    for (const entry of SUBGRAPHS) {
      const environment = compose.services[entry.name]!.environment!;
      const peerUrls = Object.fromEntries(
        SUBGRAPH_NAMES.filter((name) => environment[subgraphUrlVariable(name)] !== undefined).map((name) => [
          name,
          environment[subgraphUrlVariable(name)],
        ]),
      );
      expect({ subgraph: entry.name, peerUrls }).toEqual({
        subgraph: entry.name,
        peerUrls: Object.fromEntries(entry.peers.map((peer) => [peer, `http://${peer}:${PORTS[peer]}/graphql`])),
      });
    }
  });

  it("runs every subgraph, and nothing else, with the registry's Node options", () => {
    for (const [name, service] of appServices) {
      expect({ service: name, NODE_OPTIONS: service.environment?.NODE_OPTIONS }).toEqual({
        service: name,
        NODE_OPTIONS: SUBGRAPH_NAMES.includes(name) ? SUBGRAPH_NODE_OPTIONS_VALUE : undefined,
      });
    }
  });

  it('gives the gateway and every subgraph the same document limits, from one extension field if any', async () => {
    const variables = await documentLimitVariables();
    expect(variables).toEqual(['MAX_DOCUMENT_NESTING', 'MAX_VALIDATION_ERRORS']);
    for (const variable of variables) {
      const readers = await readersOf(variable);
      expect(readers.sort()).toEqual([...SERVICE_NAMES].sort());
      const values = Object.fromEntries(readers.map((name) => [name, compose.services[name]!.environment?.[variable]]));
      expect({ variable, values }).toEqual({ variable, values: Object.fromEntries(readers.map((name) => [name, values.gateway])) });
      // Written at most once (the anchored x-document-limits), so that no service can be given its own.
      const written = composeText.match(new RegExp(`^\\s*${variable}:`, 'gm'))?.length ?? 0;
      expect({ variable, writtenMoreThanOnce: written > 1 }).toEqual({ variable, writtenMoreThanOnce: false });
    }
  });

  it("gives every subgraph whose code reads the change feeds' storage period the same one: deploy/.env's", async () => {
    const readers = (await readersOf(ACTOR_RETENTION)).sort();
    expect(readers).toEqual(['cooperations', 'projects']);
    const values = Object.fromEntries(readers.map((name) => [name, compose.services[name]!.environment?.[ACTOR_RETENTION]]));
    // Both interpolate the one variable of deploy/.env, empty (no limit) when it is unset there.
    expect(values).toEqual(Object.fromEntries(readers.map((name) => [name, `\${${ACTOR_RETENTION}:-}`])));
  });

  it("marks as verifying callers exactly the subgraphs whose code reads AUTH_SECRET: the gateway sends the caller's token to those alone", async () => {
    const verifying = SUBGRAPHS.filter((entry) => entry.verifiesCallers).map((entry) => entry.name);
    const readers = (await readersOf('AUTH_SECRET')).filter((image) => SUBGRAPH_NAMES.includes(image));
    expect(readers.sort()).toEqual([...verifying].sort());
  });

  it('publishes only the gateway', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'gateway') expect(service.ports).toEqual([expect.stringMatching(/:4000$/)]);
      else expect(service.ports).toBeUndefined();
    }
  });

  it('sets on each service only variables its own code reads', async () => {
    for (const [name, service] of appServices) {
      const read = await variablesReadByCode(name);
      expect({ service: name, unknown: unknownVariables(Object.keys(service.environment ?? {}), read) }).toEqual({
        service: name,
        unknown: [],
      });
    }
  });

  it('holds no secret: passwords and AUTH_SECRET come from deploy/.env, which .env.example documents', () => {
    for (const service of Object.values(compose.services)) {
      for (const [name, value] of Object.entries(service.environment ?? {})) {
        if (/SECRET|PASSWORD|_KEY$/.test(name)) expect(value).toMatch(/^\$\{[A-Z_]+(:\?[^}]*)?\}$/);
        if (name === 'DATABASE_URL') expect(value).toMatch(/^postgresql:\/\/[a-z_]+:\$\{POSTGRES_PASSWORD\}@postgres:5432\//);
      }
    }
    const documented = new Set([...read('deploy/.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    const interpolated = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]!));
    expect([...interpolated].filter((name) => !documented.has(name))).toEqual([]);
    expect(read('deploy/.gitignore')).toMatch(/^\.env$/m);
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes

interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    restartPolicy?: string;
    securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
    containers: Container[];
  };
}
interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  // Each kind's spec differs; the checks below read what they need.
  spec?: {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> } | Record<string, string>;
    template?: PodTemplate;
    ports?: { port: number; targetPort: string | number }[];
    scaleTargetRef?: { apiVersion: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas?: number;
  };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const kubernetesFiles = readdirSync(kubernetesDir).filter((file) => file.endsWith('.yaml'));
const objectsByFile = new Map(kubernetesFiles.map((file) => [file, parseYaml(path.join(kubernetesDir, file)) as KubernetesObject[]]));
const objects = [...objectsByFile.values()].flat();
const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);
const deployments = ofKind('Deployment');
const deployment = (name: string) => deployments.find((candidate) => candidate.metadata.name === name)!;
const job = ofKind('Job')[0]!;
const workloads: [string, PodTemplate][] = [
  ...deployments.map((object) => [object.metadata.name, object.spec!.template!] as [string, PodTemplate]),
  ['migrate', job.spec!.template!],
];
const exampleSecret = ofKind('Secret').find((object) => object.metadata.name === 'regiograph-secrets')!;
const kustomization = objectsByFile.get('kustomization.yaml')![0] as unknown as {
  namespace: string;
  resources: string[];
  images: { name: string; newTag: string }[];
};

/** The Kubernetes API's OpenAPI schemas, compiled into validators (types, formats, required fields). */
const API_MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** Where a container's variable comes from, by the rules of Kubernetes: `env` over `envFrom`, a later `envFrom` over an earlier one. */
function containerEnvironment(
  container: Container,
  configMaps: Map<string, Record<string, string>>,
): Record<string, { value?: string; from: string }> {
  const environment: Record<string, { value?: string; from: string }> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef!.name;
    for (const [key, value] of Object.entries(configMaps.get(name) ?? {})) environment[key] = { value, from: `ConfigMap ${name}` };
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    environment[variable.name] = secret ? { from: `Secret ${secret.name} ${secret.key}` } : { value: variable.value, from: 'env' };
  }
  return environment;
}

/** A client of the pods, by the labels of its pod and of its namespace (what a NetworkPolicy's `from` selects by). */
interface NetworkClient {
  pod: Record<string, string>;
  namespace: Record<string, string>;
}

/** Prometheus as the policies' comments place it: the pods named prometheus in the namespace monitoring. */
const PROMETHEUS: NetworkClient = {
  pod: { 'app.kubernetes.io/name': 'prometheus' },
  namespace: { 'kubernetes.io/metadata.name': 'monitoring' },
};
/** A pod outside the namespace that is neither Prometheus nor anything the policies name (such as an ingress controller). */
const ANY_OTHER_CLIENT: NetworkClient = {
  pod: { 'app.kubernetes.io/name': 'ingress-nginx' },
  namespace: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
};

interface IngressRule {
  from?: {
    podSelector?: { matchLabels?: Record<string, string> };
    namespaceSelector?: { matchLabels?: Record<string, string> };
    ipBlock?: unknown;
  }[];
  ports?: { port?: number | string }[];
}

/**
 * The ports of a workload's pods `client` may reach, by the NetworkPolicies as Kubernetes applies them:
 * with no policy selecting the pods, or a rule without `ports`, every port (each of the container's,
 * and '*' for the rest); a rule admits the client when it has no `from`, or a `from` peer selects it
 * (a peer without namespaceSelector selects only pods of the policy's own namespace, an ipBlock anyone).
 */
function portsOpenTo(workload: string, client: NetworkClient): (number | string)[] {
  const pods = deployment(workload).spec!.template!;
  const containerPorts = pods.spec.containers.flatMap((container) => (container.ports ?? []).map((port) => port.containerPort));
  const everyPort = [...containerPorts, '*'];
  const policies = ofKind('NetworkPolicy').filter((policy) =>
    matches(
      (policy.spec as unknown as { podSelector: { matchLabels: Record<string, string> } }).podSelector.matchLabels,
      pods.metadata.labels,
    ),
  );
  if (policies.length === 0) return everyPort;
  const open = new Set<number | string>();
  for (const policy of policies) {
    for (const rule of (policy.spec as unknown as { ingress?: IngressRule[] }).ingress ?? []) {
      const admits =
        rule.from === undefined ||
        rule.from.length === 0 ||
        rule.from.some(
          (peer) =>
            peer.ipBlock !== undefined ||
            (matches(peer.podSelector?.matchLabels ?? {}, client.pod) &&
              (peer.namespaceSelector
                ? matches(peer.namespaceSelector.matchLabels ?? {}, client.namespace)
                : client.namespace['kubernetes.io/metadata.name'] === policy.metadata.namespace)),
        );
      if (!admits) continue;
      const ports = rule.ports === undefined || rule.ports.length === 0 ? everyPort : rule.ports.map((port) => port.port ?? '*');
      for (const port of ports)
        open.add(typeof port === 'string' && port !== '*' ? (containerPortOf(pods.spec.containers[0]!, port) ?? port) : port);
    }
  }
  return [...open].sort();
}

function containerPortOf(container: Container, port: string | number): number | undefined {
  return typeof port === 'number' ? port : container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

describe('deploy/kubernetes', () => {
  it('parses, and every object has apiVersion, kind, name and the namespace regiograph', () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const object of objects) {
      expect(object.apiVersion).toMatch(/\S/);
      expect(object.kind).toMatch(/\S/);
      if (object.kind === 'Kustomization') continue;
      expect(object.metadata.name).toMatch(/^[a-z0-9-]+$/);
      if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('regiograph');
    }
    expect(kustomization.namespace).toBe('regiograph');
  });

  it('validates against the Kubernetes API schemas', () => {
    const problems = objects.flatMap((object) => {
      if (object.kind === 'Kustomization') return [];
      const Model = API_MODELS[`${object.apiVersion}/${object.kind}`];
      if (!Model) return [`${object.kind} ${object.metadata.name}: no schema for ${object.apiVersion}`];
      try {
        new Model(object as never).validate();
        return [];
      } catch (error) {
        return [`${object.kind} ${object.metadata.name}: ${error instanceof Error ? error.message : String(error)}`];
      }
    });
    expect(problems).toEqual([]);
  });

  it('has a Deployment per service and a migration Job', () => {
    expect(deployments.map((object) => object.metadata.name).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(ofKind('Job')).toHaveLength(1);
    expect(job.spec!.template!.spec.restartPolicy).toBe('Never');
    const migrate = job.spec!.template!.spec.containers[0]!;
    expect(migrate.image).toMatch(/^regiograph\/migrate:/);
    expect(migrate.env?.map((variable) => variable.name)).toContain('DATABASE_URL');
  });

  it.each(SERVICE_NAMES)('%s: selector, port and probes match the service', (name) => {
    const { spec } = deployment(name);
    const container = spec!.template!.spec.containers[0]!;
    expect(matches((spec!.selector as { matchLabels: Record<string, string> }).matchLabels, spec!.template!.metadata.labels)).toBe(true);
    expect(container.image).toMatch(new RegExp(`^regiograph/${name}:`));
    expect(container.ports?.map((port) => port.containerPort)).toEqual([PORTS[name], METRICS_PORT]);
    expect(container.env?.find((variable) => variable.name === 'PORT')?.value).toBe(String(PORTS[name]));
    expect(container.livenessProbe?.httpGet.path).toBe('/health');
    // The gateway's /ready fails when any one subgraph is down: see the comment in gateway.yaml.
    expect(container.readinessProbe?.httpGet.path).toBe(name === 'gateway' ? '/health' : '/ready');
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      if (probe) expect(containerPortOf(container, probe.httpGet.port)).toBe(PORTS[name]);
    }
  });

  it.each(SERVICE_NAMES)(
    '%s: its pods are annotated for Prometheus to scrape /metrics on the metrics port, which it names and sets',
    (name) => {
      const pods = deployment(name).spec!.template!;
      expect(pods.metadata.annotations).toEqual(SCRAPE_MARKS);
      const container = pods.spec.containers[0]!;
      expect(containerPortOf(container, 'metrics')).toBe(METRICS_PORT);
      const configMaps = new Map(ofKind('ConfigMap').map((object) => [object.metadata.name, object.data ?? {}]));
      expect(containerEnvironment(container, configMaps).METRICS_PORT?.value).toBe(String(METRICS_PORT));
    },
  );

  it.each(IMAGE_NAMES)('%s: runs as non-root on a read-only root filesystem, with requests, limits and a pinned image', (name) => {
    const template = workloads.find(([workload]) => workload === name)![1];
    expect(template.spec.securityContext?.runAsNonRoot).toBe(true);
    expect(template.spec.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(template.spec.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
    for (const container of template.spec.containers) {
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      for (const bound of ['requests', 'limits'] as const) {
        expect(Object.keys(container.resources?.[bound] ?? {}).sort()).toEqual(['cpu', 'memory']);
      }
      expectPinned(container.image);
    }
  });

  it("refuses to run production on the examples' AUTH_SECRET placeholders, as on the development default", () => {
    const placeholders = [
      exampleSecret.stringData!.AUTH_SECRET!,
      /^AUTH_SECRET=(.*)$/m.exec(read('deploy/.env.example'))![1]!,
      DEVELOPMENT_AUTH_SECRET,
    ];
    // Each passes the length check: only the list of published secrets stops a copied example that was not filled in.
    for (const placeholder of placeholders) {
      expect(Buffer.byteLength(placeholder)).toBeGreaterThanOrEqual(32);
      expect(() => resolveAuthSecret({ NODE_ENV: 'production', AUTH_SECRET: placeholder })).toThrow(/example placeholder/);
    }
  });

  it('references only ConfigMaps it defines and Secret keys the example Secret documents', () => {
    const configMaps = new Map(ofKind('ConfigMap').map((object) => [object.metadata.name, object.data ?? {}]));
    const secretKeys = new Set(Object.keys(exampleSecret.stringData ?? {}));
    for (const [, template] of workloads) {
      for (const container of template.spec.containers) {
        for (const source of container.envFrom ?? []) {
          expect(source.secretRef).toBeUndefined();
          expect(configMaps.has(source.configMapRef!.name)).toBe(true);
        }
        for (const variable of container.env ?? []) {
          const secret = variable.valueFrom?.secretKeyRef;
          if (secret) expect({ name: secret.name, known: secretKeys.has(secret.key) }).toEqual({ name: 'regiograph-secrets', known: true });
          expect(variable.valueFrom?.configMapKeyRef).toBeUndefined();
        }
      }
    }
  });

  it('sets on each workload only variables its own code reads', async () => {
    const configMaps = new Map(ofKind('ConfigMap').map((object) => [object.metadata.name, object.data ?? {}]));
    for (const [name, template] of workloads) {
      for (const container of template.spec.containers) {
        const names = [
          ...(container.env ?? []).map((variable) => variable.name),
          ...(container.envFrom ?? []).flatMap((source) => Object.keys(configMaps.get(source.configMapRef!.name) ?? {})),
        ];
        const read = await variablesReadByCode(name);
        expect({ workload: name, unknown: unknownVariables(names, read) }).toEqual({ workload: name, unknown: [] });
      }
    }
  });

  it("runs every subgraph, and nothing else, with the registry's Node options", () => {
    const configMaps = new Map(ofKind('ConfigMap').map((object) => [object.metadata.name, object.data ?? {}]));
    for (const [name, template] of workloads) {
      for (const container of template.spec.containers) {
        const fromConfigMaps = (container.envFrom ?? []).map((source) => configMaps.get(source.configMapRef!.name)?.NODE_OPTIONS);
        const values = [
          ...(container.env ?? []).filter((variable) => variable.name === 'NODE_OPTIONS').map((variable) => variable.value),
          ...fromConfigMaps,
        ];
        expect({ workload: name, NODE_OPTIONS: values.filter((value) => value !== undefined) }).toEqual({
          workload: name,
          NODE_OPTIONS: SUBGRAPH_NAMES.includes(name) ? [SUBGRAPH_NODE_OPTIONS_VALUE] : [],
        });
      }
    }
  });

  it('gives the gateway and every subgraph the same document limits, from one ConfigMap if any', async () => {
    const configMaps = new Map(ofKind('ConfigMap').map((object) => [object.metadata.name, object.data ?? {}]));
    for (const variable of await documentLimitVariables()) {
      const readers = await readersOf(variable);
      expect(readers.sort()).toEqual([...SERVICE_NAMES].sort());
      const sources = Object.fromEntries(
        readers.map((name) => [
          name,
          containerEnvironment(workloads.find(([workload]) => workload === name)![1].spec.containers[0]!, configMaps)[variable],
        ]),
      );
      expect({ variable, sources }).toEqual({ variable, sources: Object.fromEntries(readers.map((name) => [name, sources.gateway])) });
      const holders = [...configMaps].filter(([, data]) => variable in data).map(([name]) => `ConfigMap ${name}`);
      // Set, if at all, in one ConfigMap that every reader takes it from.
      expect({ variable, holders }).toEqual({ variable, holders: sources.gateway ? [sources.gateway.from] : [] });
    }
  });

  it("gives every subgraph whose code reads the change feeds' storage period the same one, from one ConfigMap", async () => {
    const configMaps = new Map(ofKind('ConfigMap').map((object) => [object.metadata.name, object.data ?? {}]));
    const readers = (await readersOf(ACTOR_RETENTION)).sort();
    expect(readers).toEqual(['cooperations', 'projects']);
    const sources = readers.map(
      (name) =>
        containerEnvironment(workloads.find(([workload]) => workload === name)![1].spec.containers[0]!, configMaps)[ACTOR_RETENTION],
    );
    const holders = [...configMaps].filter(([, data]) => ACTOR_RETENTION in data).map(([name]) => `ConfigMap ${name}`);
    // One ConfigMap holds it, and every reader takes it from there: no Deployment sets its own value.
    expect(holders).toHaveLength(1);
    expect(sources.map((source) => source?.from)).toEqual(readers.map(() => holders[0]));
  });

  it("routes the gateway to a Service of each subgraph, on the subgraph pods' port", () => {
    const services = ofKind('Service');
    const gatewayConfig = ofKind('ConfigMap').find((object) => object.metadata.name === 'regiograph-gateway-config')!.data!;
    for (const name of SERVICE_NAMES) {
      const service = services.find((object) => object.metadata.name === name)!;
      const pods = deployment(name).spec!.template!;
      expect(matches(service.spec!.selector as Record<string, string>, pods.metadata.labels)).toBe(true);
      expect(service.spec!.ports!.map((port) => port.port)).toEqual([PORTS[name]]);
      expect(containerPortOf(pods.spec.containers[0]!, service.spec!.ports![0]!.targetPort)).toBe(PORTS[name]);
      if (name !== 'gateway') expect(gatewayConfig[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${PORTS[name]}/graphql`);
    }
  });

  it("lets the gateway reach exactly the registered subgraphs' ports through the network policy", () => {
    const policy = ofKind('NetworkPolicy').find((object) => object.metadata.name === 'subgraphs-from-gateway-only')!;
    const spec = policy.spec as unknown as { ingress: { ports: { port: number }[] }[] };
    expect(spec.ingress.flatMap((rule) => rule.ports.map((port) => port.port)).sort()).toEqual(
      SUBGRAPHS.map((entry) => entry.defaultPort).sort(),
    );
  });

  it.each(SUBGRAPH_NAMES)(
    'lets Prometheus reach the metrics port of %s alone, never its API port, through the network policies',
    (name) => {
      expect(portsOpenTo(name, PROMETHEUS)).toEqual([METRICS_PORT]);
    },
  );

  it("lets Prometheus reach the gateway's metrics port, and no other client that reaches its API", () => {
    expect(portsOpenTo('gateway', PROMETHEUS)).toEqual([PORTS.gateway, METRICS_PORT].sort());
    expect(portsOpenTo('gateway', ANY_OTHER_CLIENT)).toEqual([PORTS.gateway]);
  });

  it('lets each subgraph reach exactly the peers the registry names, at the URL of their Service', () => {
    const policies = ofKind('NetworkPolicy').map(
      (object) =>
        object.spec as unknown as {
          podSelector: { matchLabels: Record<string, string> };
          ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[]; ports: { port: number }[] }[];
        },
    );
    const podLabels = (name: string) => deployment(name).spec!.template!.metadata.labels;
    for (const entry of SUBGRAPHS) {
      const env = deployment(entry.name).spec!.template!.spec.containers[0]!.env ?? [];
      const peerUrls = Object.fromEntries(
        SUBGRAPH_NAMES.flatMap((name) =>
          env.filter((variable) => variable.name === subgraphUrlVariable(name)).map((variable) => [name, variable.value]),
        ),
      );
      expect({ subgraph: entry.name, peerUrls }).toEqual({
        subgraph: entry.name,
        peerUrls: Object.fromEntries(entry.peers.map((peer) => [peer, `http://${peer}:${PORTS[peer]}/graphql`])),
      });
      // Which subgraphs' pods a policy lets this subgraph's pods reach, and on which ports.
      const reachable = SUBGRAPH_NAMES.filter((target) =>
        policies.some(
          (policy) =>
            matches(policy.podSelector.matchLabels, podLabels(target)) &&
            policy.ingress.some(
              (rule) =>
                rule.from.some((source) => matches(source.podSelector.matchLabels, podLabels(entry.name))) &&
                rule.ports.some((port) => port.port === PORTS[target]),
            ),
        ),
      );
      expect({ subgraph: entry.name, reachable }).toEqual({ subgraph: entry.name, reachable: [...entry.peers] });
    }
  });

  it('autoscales every Deployment, which then leaves `replicas` to the autoscaler', () => {
    const autoscalers = ofKind('HorizontalPodAutoscaler');
    for (const autoscaler of autoscalers) {
      const target = autoscaler.spec!.scaleTargetRef!;
      expect(target.kind).toBe('Deployment');
      expect(deployments.map((object) => object.metadata.name)).toContain(target.name);
      expect(autoscaler.spec!.minReplicas).toBeGreaterThanOrEqual(2);
      expect(autoscaler.spec!.maxReplicas).toBeGreaterThan(autoscaler.spec!.minReplicas!);
    }
    expect(autoscalers.map((autoscaler) => autoscaler.spec!.scaleTargetRef!.name).sort()).toEqual([...SERVICE_NAMES].sort());
    for (const object of deployments) expect(object.spec!.replicas).toBeUndefined();
  });

  it('keeps a gateway pod up through voluntary disruptions', () => {
    const budget = ofKind('PodDisruptionBudget').find((object) => object.metadata.name === 'gateway')!;
    const selector = (budget.spec!.selector as { matchLabels: Record<string, string> }).matchLabels;
    expect(matches(selector, deployment('gateway').spec!.template!.metadata.labels)).toBe(true);
  });

  it("needs no more PostgreSQL connections than docs/operations.md budgets: each Deployment at its autoscaler's maximum, one pod more in a rollout", async () => {
    // What one pod holds at most: a subgraph's pool on DATABASE_URL at the DATABASE_POOL_MAX its manifest
    // gives it, else the default the settings list holds to the code's (the pools of its read replicas go
    // to the replicas); the gateway's API key lookups at the API_KEYS_POOL_MAX its manifest gives it, else
    // the default, and their revocation listener, as the code opens them. Nothing connects until asked
    // to, so the URL is never dialled.
    const configMaps = new Map(ofKind('ConfigMap').map((object) => [object.metadata.name, object.data ?? {}]));
    const settingDefault = (name: string) => SETTINGS.find((setting) => setting.name === name)!.default;
    const gatewayEnvironment = containerEnvironment(deployment('gateway').spec!.template!.spec.containers[0]!, configMaps);
    const keyStore = new ApiKeyStore('postgresql://budget@127.0.0.1:9/none', {
      maxConnections: Number(gatewayEnvironment.API_KEYS_POOL_MAX?.value ?? settingDefault('API_KEYS_POOL_MAX')),
    });
    const perPod: Record<string, number> = { gateway: keyStore.connectionsAtMost };
    await keyStore.close();
    const poolDefault = settingDefault('DATABASE_POOL_MAX');
    for (const name of SUBGRAPH_NAMES) {
      const environment = containerEnvironment(deployment(name).spec!.template!.spec.containers[0]!, configMaps);
      perPod[name] = Number(environment.DATABASE_POOL_MAX?.value ?? poolDefault);
      expect({ name, pool: Number.isInteger(perPod[name]) && perPod[name] > 0 }).toEqual({ name, pool: true });
    }
    const need = ofKind('HorizontalPodAutoscaler').reduce((sum, autoscaler) => {
      const name = autoscaler.spec!.scaleTargetRef!.name;
      const surge = (deployment(name).spec as { strategy?: { rollingUpdate?: { maxSurge?: number | string } } }).strategy?.rollingUpdate
        ?.maxSurge;
      expect({ name, surge: typeof surge }).toEqual({ name, surge: 'number' });
      return sum + (autoscaler.spec!.maxReplicas! + Number(surge)) * perPod[name]!;
    }, 0);
    const capacity = readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8')
      .split(/^## Capacity$/m)[1]!
      .split(/^## /m)[0]!;
    const figure = (pattern: RegExp) => Number(pattern.exec(capacity)?.[1]?.replace(/,/g, ''));
    expect({ stated: figure(/open at most \*\*([\d,]+)\s+connections\*\*/) }).toEqual({ stated: need });
    expect(need).toBeLessThanOrEqual(figure(/\*\*Connection\s+budget:\s+([\d,]+)\*\*/));
  });

  it('applies every manifest through kustomization.yaml except the Job and the example Secret, all on one tag', () => {
    const expected = kubernetesFiles.filter((file) => !['kustomization.yaml', 'migrate-job.yaml', 'secret.example.yaml'].includes(file));
    expect([...kustomization.resources].sort()).toEqual(expected.sort());
    const tags = new Set(kustomization.images.map((image) => image.newTag));
    expect(tags.size).toBe(1);
    const [tag] = [...tags];
    expect(kustomization.images.map((image) => image.name).sort()).toEqual(SERVICE_NAMES.map((name) => `regiograph/${name}`).sort());
    for (const [, template] of workloads) for (const container of template.spec.containers) expect(container.image.split(':')[1]).toBe(tag);
    expect(job.metadata.name).toBe(`regiograph-migrate-${tag!.replace(/\./g, '-')}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Dockerfile and build context

/** Instructions with their continuation lines joined and comments dropped. */
function dockerInstructions(text: string): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const dockerfile = read('deploy/docker/Dockerfile');
const instructions = dockerInstructions(dockerfile);
const stages = instructions.reduce<string[][]>((all, instruction) => {
  if (/^FROM\s/i.test(instruction)) all.push([instruction]);
  else if (all.length > 0) all[all.length - 1]!.push(instruction);
  return all;
}, []);
const finalStage = stages[stages.length - 1]!;

/** The RUN of the target stage that picks each image's package and entry point by SERVICE. */
function dockerBuildStep(): string {
  return instructions.find((instruction) => instruction.includes('case "${SERVICE:-}"'))!;
}

/**
 * The TypeScript source of the entry point the Dockerfile builds for each image (its `dist` file's
 * source). Its catch-all branch (`*)`) builds a subgraph by its folder, for every subgraph of the
 * registry whose package is named after it.
 */
function imageEntrySources(): Map<string, string> {
  const branches = [...dockerBuildStep().matchAll(/([a-z|*]+)\)\s*package="([^"]+)";\s*entry="([^"]+)"/g)];
  const subgraphsByFolder = SUBGRAPHS.filter((entry) => entry.packageName === `@regiograph/${entry.name}`).map((entry) => entry.name);
  return new Map(
    branches.flatMap((branch) =>
      (branch[1] === '*' ? (branch[2] === '@regiograph/${SERVICE:-}' ? subgraphsByFolder : []) : branch[1]!.split('|')).map(
        (service) =>
          [
            service,
            branch[3]!
              .replace(/\$\{SERVICE(:-)?\}/, service)
              .replace('/dist/', '/src/')
              .replace(/\.js$/, '.ts'),
          ] as const,
      ),
    ),
  );
}

describe('deploy/docker/Dockerfile', () => {
  it('is multi-stage, every stage named, on a pinned base image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM\s+\S+\s+AS\s+[a-z-]+$/i);
    const baseImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expectPinned(baseImage!);
    expect(baseImage).toMatch(/^node:20\./);
    expect(dockerfile).not.toMatch(/:latest\b/);
  });

  it('installs with npm ci from the lockfile and ships only production dependencies', () => {
    expect(dockerfile).toMatch(/COPY --from=manifests \/manifests\/ \.\//);
    expect(dockerfile).toMatch(/cp package-lock\.json \/manifests\//);
    const installs = instructions.filter((instruction) => /\bnpm ci\b/.test(instruction));
    expect(installs.length).toBeGreaterThanOrEqual(2);
    expect(instructions.some((instruction) => /\bnpm install\b/.test(instruction))).toBe(false);
    // The final stage's node_modules come from the stage that installed with --omit=dev.
    const copiedStages = finalStage.flatMap((instruction) => /^COPY --from=(\S+)/.exec(instruction)?.[1] ?? []);
    const productionStage = stages.find((stage) => stage[0]!.endsWith(' AS prod-deps'))!;
    expect(copiedStages).toContain('prod-deps');
    expect(productionStage.some((instruction) => /\bnpm ci --omit=dev\b/.test(instruction))).toBe(true);
  });

  it("installs for each image its own workspace's runtime packages alone, picked once from SERVICE, and runs no install script", () => {
    // The target stage turns SERVICE into a workspace package; the build builds it, prod-deps installs it.
    const targetStage = stages.find((stage) => stage[0]!.endsWith(' AS target'))!;
    expect(targetStage).toContain(dockerBuildStep());
    expect(dockerBuildStep()).toMatch(/printf '%s' "\$\{package\}" > \/target\/package;/);
    const productionStage = stages.find((stage) => stage[0]!.endsWith(' AS prod-deps'))!;
    expect(productionStage).toContain('COPY --from=target /target/ /target/');
    const install = productionStage.filter((instruction) => /\bnpm ci\b/.test(instruction));
    expect(install).toHaveLength(1);
    for (const flag of ['--omit=dev', '--omit=optional', '--omit=peer', '--ignore-scripts', '--workspace="$(cat /target/package)"']) {
      expect({ flag, given: ` ${install[0]!} `.includes(` ${flag} `) }).toEqual({ flag, given: true });
    }
    // Nothing after it installs more: the image's node_modules are that install's.
    expect(instructions.filter((instruction) => /\bnpm (ci|install|i)\b/.test(instruction))).toHaveLength(2);
  });

  it('runs as a numeric non-root user with a health check, and never fetches with ADD', () => {
    const user = finalStage.filter((instruction) => /^USER\s/.test(instruction)).pop();
    expect(user).toMatch(/^USER\s+[1-9]\d*(:[1-9]\d*)?$/);
    expect(finalStage.some((instruction) => /^HEALTHCHECK\s.*healthcheck\.js/.test(instruction))).toBe(true);
    expect(finalStage.some((instruction) => /^CMD\s/.test(instruction))).toBe(true);
    expect(instructions.some((instruction) => /^ADD\s+(--\S+\s+)*https?:/i.test(instruction))).toBe(false);
  });

  it('serves /metrics on the metrics port by default, which it exposes', () => {
    expect(finalStage.some((instruction) => new RegExp(`^ENV\\s.*\\bMETRICS_PORT=${METRICS_PORT}\\b`).test(instruction))).toBe(true);
    expect(finalStage.some((instruction) => new RegExp(`^EXPOSE\\s+${METRICS_PORT}$`).test(instruction))).toBe(true);
  });

  it('bakes in no secret', () => {
    for (const instruction of instructions.filter((line) => /^(ENV|ARG)\s/.test(line))) {
      expect(instruction).not.toMatch(/SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL/);
    }
  });

  it('builds each service from an entry point that exists in its sources', () => {
    const entries = imageEntrySources();
    expect([...entries.keys()].sort()).toEqual([...IMAGE_NAMES].sort());
    for (const [service, source] of entries) {
      expect({ service, source, exists: existsSync(path.join(root, source)) }).toEqual({ service, source, exists: true });
    }
    // Runtime files read beside dist/: seed data, migrations, the composed supergraph.
    const buildStage = stages.find((stage) => stage[0]!.endsWith(' AS build'))!;
    expect(buildStage.join('\n')).toMatch(/for asset in data migrations schema\.graphql supergraph\.graphql;/);
  });

  it('names no subgraph: it builds whichever the registry lists, by its folder', () => {
    const named = SUBGRAPH_NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(dockerfile));
    expect({ file: 'deploy/docker/Dockerfile', subgraphsNamed: named }).toEqual({ file: 'deploy/docker/Dockerfile', subgraphsNamed: [] });
  });

  it("has a health check script that takes each service's port from the registry", async () => {
    // PORT is left empty, so the script must look the port up in the registry; the registry entry
    // is pointed (in that process only) at a local server that stands in for the service.
    const asked: string[] = [];
    const server = http.createServer((request, response) => {
      asked.push(request.url ?? '');
      response.writeHead(request.url === '/ready' ? 503 : 200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const script = path.join(deployDir, 'docker', 'healthcheck.js');
    const run = (service: string, probePath?: string) =>
      new Promise<number>((resolve) => {
        const program = `require('@regiograph/shared/dist/services').DEFAULT_PORTS[${JSON.stringify(service)}] = ${port}; require(${JSON.stringify(script)});`;
        // `node -e program a b` gives the script process.argv [node, a, b], as `node script b` would.
        execFile(process.execPath, ['-e', program, script, ...(probePath ? [probePath] : [])], {
          cwd: root,
          env: { ...process.env, SERVICE: service, PORT: '' },
        }).on('exit', (code) => resolve(code ?? -1));
      });
    try {
      for (const name of SERVICE_NAMES) expect({ name, exit: await run(name) }).toEqual({ name, exit: 0 });
      expect(await run('regions', '/ready')).toBe(1);
      // The one-shot migration image has no health check to pass.
      expect(await run('migrate')).toBe(0);
      expect(asked).toEqual([...SERVICE_NAMES.map(() => '/health'), '/ready']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('has a .dockerignore that keeps local state, build output and secrets out of the context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['.git', '**/node_modules', '**/dist', '**/.turbo', '.data', 'bench-results', '**/.env']) {
      expect(ignored).toContain(entry);
    }
  });
});

/**
 * What each deployment file lacks for a registered service, as "file: what to add": the one list to
 * work through after adding a subgraph to the registry (docs/adding-a-subgraph.md, step 2), where
 * the checks above would fail on the first missing piece each, some of them as a TypeError.
 */
function missingDeploymentEntries(): string[] {
  const missing: string[] = [];
  const gatewayCompose = compose.services.gateway;
  const gatewayConfig = ofKind('ConfigMap').find((object) => object.metadata.name === 'regiograph-gateway-config')?.data ?? {};
  const policy = ofKind('NetworkPolicy').find((object) => object.metadata.name === 'subgraphs-from-gateway-only');
  const policyPorts = (policy?.spec as unknown as { ingress: { ports: { port: number }[] }[] } | undefined)?.ingress.flatMap((rule) =>
    rule.ports.map((port) => port.port),
  );
  const entries = imageEntrySources();
  for (const image of IMAGE_NAMES) {
    if (!compose.services[image]) missing.push(`deploy/compose.yaml: a service "${image}"`);
    if (!entries.has(image)) missing.push(`deploy/docker/Dockerfile: "${image}" in the case "\${SERVICE:-}" of the build step`);
  }
  for (const name of SERVICE_NAMES) {
    if (!deployments.some((object) => object.metadata.name === name))
      missing.push(`deploy/kubernetes/${name}.yaml: a Deployment "${name}"`);
    if (!kustomization.images.some((image) => image.name === `regiograph/${name}`)) {
      missing.push(`deploy/kubernetes/kustomization.yaml: "regiograph/${name}" in images`);
    }
  }
  for (const entry of SUBGRAPHS) {
    const variable = subgraphUrlVariable(entry.name);
    const url = `http://${entry.name}:${entry.defaultPort}/graphql`;
    if (!kustomization.resources.includes(`${entry.name}.yaml`))
      missing.push(`deploy/kubernetes/kustomization.yaml: "${entry.name}.yaml" in resources`);
    if (gatewayCompose?.environment?.[variable] !== url)
      missing.push(`deploy/compose.yaml: ${variable}: ${url} in the gateway's environment`);
    if (!gatewayCompose?.depends_on?.[entry.name]) missing.push(`deploy/compose.yaml: ${entry.name} in the gateway's depends_on`);
    if (gatewayConfig[variable] !== url) missing.push(`deploy/kubernetes/config.yaml: ${variable}: ${url} in regiograph-gateway-config`);
    if (!policyPorts?.includes(entry.defaultPort)) {
      missing.push(`deploy/kubernetes/network-policy.yaml: port ${entry.defaultPort} in subgraphs-from-gateway-only's ingress`);
    }
    if (compose.services[entry.name] && compose.services[entry.name]!.labels?.['prometheus.io/port'] !== String(METRICS_PORT))
      missing.push(`deploy/compose.yaml: the labels prometheus.io/* (port ${METRICS_PORT}) of ${entry.name}`);
    const pods = deployments.find((object) => object.metadata.name === entry.name)?.spec?.template;
    if (pods && pods.metadata.annotations?.['prometheus.io/port'] !== String(METRICS_PORT))
      missing.push(`deploy/kubernetes/${entry.name}.yaml: the annotations prometheus.io/* (port ${METRICS_PORT}) of its pod template`);
  }
  return missing;
}

describe('the deployment covers the repository', () => {
  it('names every service of the registry (shared/src/services.ts) in every deployment file', () => {
    expect(missingDeploymentEntries()).toEqual([]);
  });

  it('lists exactly the subgraphs that exist', () => {
    const folders = readdirSync(path.join(root, 'subgraphs'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.map((entry) => entry.name).sort()).toEqual([...SUBGRAPH_NAMES].sort());
  });
});

// ---------------------------------------------------------------------------------------------
// Token checks

/**
 * The token verifier's settings besides the secret (what shared's createTokenVerifier reads: the
 * maximum lifetime, the issuer, the audience), taken from its code. The gateway and the subgraphs that
 * verify callers must agree on them: a subgraph with a shorter maximum lifetime or another issuer
 * refuses with 401 the token the gateway admitted, and a longer one leaves a leaked token good longer there.
 */
async function tokenCheckVariables(): Promise<string[]> {
  return [...variablesReadIn(await bundledExport('@regiograph/shared', 'createTokenVerifier'))].sort();
}

/** The services that verify callers' tokens: the gateway and the subgraphs the registry marks (verifiesCallers). */
const TOKEN_VERIFIERS = ['gateway', ...SUBGRAPHS.filter((entry) => entry.verifiesCallers).map((entry) => entry.name)];

/** The values deploy/.env.example gives (deploy/.env is its filled-in copy). */
const envExample: Record<string, string> = Object.fromEntries(
  [...read('deploy/.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]),
);

/** A compose value as a service started from the examples sees it: `${NAME}`, `${NAME:-default}`, `${NAME:?why}` from .env.example. */
function composeValue(value: string | undefined): string | undefined {
  return value?.replace(/\$\{([A-Z][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g, (_whole, name: string, kind?: string, fallback?: string) => {
    const given = envExample[name];
    return given === undefined || given === '' ? (kind === '-' ? (fallback ?? '') : '') : given;
  });
}

describe('the token checks of the gateway and the subgraphs that verify callers', () => {
  it('are read by exactly these services', async () => {
    const variables = await tokenCheckVariables();
    expect(variables).toEqual(['AUTH_AUDIENCE', 'AUTH_ISSUER', 'AUTH_MAX_TOKEN_LIFETIME_SECONDS']);
    for (const variable of variables) {
      expect({ variable, readers: (await readersOf(variable)).sort() }).toEqual({ variable, readers: [...TOKEN_VERIFIERS].sort() });
    }
  });

  it('are set alike at all of them or at none: compose with .env.example, and Kubernetes', async () => {
    const configMaps = new Map(ofKind('ConfigMap').map((object) => [object.metadata.name, object.data ?? {}]));
    const alike = (values: Record<string, string | undefined>) => Object.fromEntries(TOKEN_VERIFIERS.map((name) => [name, values.gateway]));
    for (const variable of await tokenCheckVariables()) {
      const inCompose = Object.fromEntries(
        TOKEN_VERIFIERS.map((name) => [name, composeValue(compose.services[name]?.environment?.[variable])]),
      );
      expect({ file: 'deploy/compose.yaml', variable, values: inCompose }).toEqual({
        file: 'deploy/compose.yaml',
        variable,
        values: alike(inCompose),
      });
      // A value .env.example offers must reach every verifier, not some (or none, which would look set and be not).
      const interpolated = TOKEN_VERIFIERS.filter((name) =>
        new RegExp(`\\$\\{${variable}\\b`).test(compose.services[name]?.environment?.[variable] ?? ''),
      );
      expect({ file: 'deploy/.env.example', variable, passedTo: variable in envExample ? interpolated : TOKEN_VERIFIERS }).toEqual({
        file: 'deploy/.env.example',
        variable,
        passedTo: TOKEN_VERIFIERS,
      });
      const inKubernetes = Object.fromEntries(
        TOKEN_VERIFIERS.map((name) => {
          const source = containerEnvironment(deployment(name).spec!.template!.spec.containers[0]!, configMaps)[variable];
          // A Secret's key is alike wherever that key is referenced.
          return [name, source && (source.value ?? source.from)];
        }),
      );
      expect({ file: 'deploy/kubernetes', variable, values: inKubernetes }).toEqual({
        file: 'deploy/kubernetes',
        variable,
        values: alike(inKubernetes),
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The gateway's secrets

/** The secrets the gateway's configuration names (GATEWAY_SECRET_VARIABLES of gateway/src/config.ts). */
const GATEWAY_SECRETS: string[] = [...GATEWAY_SECRET_VARIABLES];

describe("the gateway's secrets, as its configuration names them", () => {
  it("are read by the gateway's code", async () => {
    const read = await variablesReadByCode('gateway');
    expect(GATEWAY_SECRETS.filter((variable) => !read.has(variable))).toEqual([]);
  });

  it('reach the gateway from the example Secret in Kubernetes', () => {
    const configMaps = new Map(ofKind('ConfigMap').map((object) => [object.metadata.name, object.data ?? {}]));
    const environment = containerEnvironment(deployment('gateway').spec!.template!.spec.containers[0]!, configMaps);
    const secretKeys = new Set(Object.keys(exampleSecret.stringData ?? {}));
    for (const variable of GATEWAY_SECRETS) {
      const source = environment[variable]?.from ?? 'nowhere';
      const [kind, name, key] = source.split(' ');
      expect({ variable, from: kind, name, documented: key !== undefined && secretKeys.has(key) }).toEqual({
        variable,
        from: 'Secret',
        name: 'regiograph-secrets',
        documented: true,
      });
    }
  });

  it('reach the gateway in compose, each value deploy/.env gives documented in .env.example', () => {
    const environment = compose.services.gateway!.environment ?? {};
    for (const variable of GATEWAY_SECRETS) {
      const value = environment[variable];
      const interpolated = [...(value ?? '').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]!);
      expect({ variable, set: value !== undefined, undocumented: interpolated.filter((name) => !(name in envExample)) }).toEqual({
        variable,
        set: true,
        undocumented: [],
      });
    }
  });

  it("are refused by the gateway when a copied example's GATEWAY_CLIENT_ID_KEY was not filled in", () => {
    for (const placeholder of [exampleSecret.stringData!.GATEWAY_CLIENT_ID_KEY!, envExample.GATEWAY_CLIENT_ID_KEY!]) {
      expect(() => readGatewayConfig({ GATEWAY_CLIENT_ID_KEY: placeholder })).toThrow(/GATEWAY_CLIENT_ID_KEY must be at least/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The settings each service logs at start (shared/src/settings.ts)

/**
 * The literal defaults the code gives its readers in a bundle: `readInteger("GATEWAY_MAX_DEPTH", 12, env)`
 * (esbuild writes 100_000 as 1e5); a default computed from other values is left out.
 */
function literalDefaultsIn(code: string): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const [, name, argument] of code.matchAll(/\bread[A-Za-z]*\(\s*["'`]([A-Z][A-Z0-9_]*)["'`],\s*([^,()]+?)\s*[,)]/g)) {
    const value = argument!.trim();
    if (value === 'true' || value === 'false') defaults.set(name!, value);
    else if (/^[\d._e]+(?:\s*\*\s*[\d._e]+)*$/.test(value))
      defaults.set(name!, String(value.split('*').reduce((product, factor) => product * Number(factor.trim().replaceAll('_', '')), 1)));
  }
  return defaults;
}

/** The variables the README documents in the first column of its tables under Configuration and The gateway in production. */
function documentedVariables(): Set<string> {
  const readme = read('README.md');
  const names = new Set<string>();
  for (const heading of ['## Configuration', '## The gateway in production']) {
    const start = readme.indexOf(`\n${heading}\n`);
    expect({ heading, found: start >= 0 }).toEqual({ heading, found: true });
    const end = readme.indexOf('\n## ', start + heading.length + 1);
    for (const line of readme.slice(start, end < 0 ? undefined : end).split('\n')) {
      if (!line.startsWith('|')) continue;
      for (const [, name] of (line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(name!);
    }
  }
  return names;
}

describe("the settings each service logs at start (shared's SETTINGS)", () => {
  const services = SERVICE_NAMES as ServiceName[];

  it.each(services)("list every variable the %s's code reads, and only those", async (service) => {
    const read = await variablesReadByCode(service);
    const listed = settingsOf(service);
    const ownCode = listed.filter((setting) => setting.readByLibrary === undefined).map((setting) => setting.name);
    expect({
      service,
      // A tool's code that a service's modules carry (the indicators' importer) reads its variables only when the tool runs.
      unlisted: [...read].filter((name) => !listed.some((setting) => setting.name === name) && !TOOL_VARIABLES.includes(name)).sort(),
      listedButNotRead: ownCode.filter((name) => !read.has(name)),
    }).toEqual({ service, unlisted: [], listedButNotRead: [] });
  });

  it.each(services)("say the %s's defaults as its code has them", async (service) => {
    const entry = imageEntrySources().get(service)!;
    const workers = WORKER_ENTRY_POINTS[service] ?? [];
    const defaults = literalDefaultsIn(await bundledCode([entry, ...workers]));
    expect(defaults.size).toBeGreaterThan(service === 'gateway' ? 20 : 3);
    for (const setting of settingsOf(service)) {
      const inCode = defaults.get(setting.name);
      const logged = typeof setting.default === 'string' ? setting.default : setting.default(service);
      // Words in brackets say what unset means where the code's fallback is never used (METRICS_PORT's 0).
      if (inCode === undefined || logged.startsWith('(')) continue;
      expect({ variable: setting.name, default: logged }).toEqual({ variable: setting.name, default: inCode });
    }
  });

  it('are documented in the README, which documents no variable nothing reads', () => {
    const documented = documentedVariables();
    expect(SETTINGS.map((setting) => setting.name).filter((name) => !documented.has(name))).toEqual([]);
    const known = new Set([...SETTINGS.map((setting) => setting.name), ...TOOL_VARIABLES]);
    expect([...documented].filter((name) => !known.has(name))).toEqual([]);
  });

  it("withhold the gateway's secrets from the log, or mask their passwords (URLs)", () => {
    for (const name of GATEWAY_SECRET_VARIABLES) {
      const setting = SETTINGS.find((candidate) => candidate.name === name);
      expect({ name, hidden: setting?.shown === 'withheld' || name.endsWith('_URL') }).toEqual({ name, hidden: true });
    }
  });
});
