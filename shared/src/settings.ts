// The one list of the environment variables RegioGraph's services read, and what a service says about
// them when it starts: the value each setting took and where from (the environment or the default),
// secrets withheld, and a warning for a variable of the project's that no service reads (a
// misspelling such as RATE_LIMIT_REQEUSTS, which otherwise leaves the default in force unnoticed).
// test/deploy.test.ts holds the list to the variables each service's code reads and to the README.
import type { Logger } from './logger';
import { defaultSubgraphUrl, GATEWAY_DEFAULT_PORT, SUBGRAPHS, subgraphUrlVariable, type SubgraphName } from './services';
import { editDistance } from './text';

/** A process that logs its settings at start: the gateway or a subgraph. */
export type ServiceName = 'gateway' | SubgraphName;

/** How much of a value the log may show. */
export type Shown =
  /** The value as it is, but for a password in a URL (every value is passed through maskUrlPasswords). */
  | 'value'
  /** Nothing of it: a key, a token or a secret. */
  | 'withheld';

export interface Setting {
  name: string;
  /** The services that read it. */
  readBy: readonly ServiceName[];
  /**
   * What a service takes when the variable is unset or empty, as an operator reads it: a number or
   * switch exactly as the code's default (test/deploy.test.ts compares them), else words in brackets.
   */
  default: string | ((service: ServiceName) => string);
  shown?: Shown;
  /**
   * The library that reads it where RegioGraph's own code (which the completeness test searches) need
   * not: said here so that it is logged and not taken for a misspelling.
   */
  readByLibrary?: string;
}

const SUBGRAPH_NAMES: readonly SubgraphName[] = SUBGRAPHS.map((entry) => entry.name);
const ALL: readonly ServiceName[] = ['gateway', ...SUBGRAPH_NAMES];
const GATEWAY: readonly ServiceName[] = ['gateway'];
/** The subgraphs with a write path: they verify callers' tokens and keep change feeds. */
const WRITERS: readonly ServiceName[] = SUBGRAPHS.filter((entry) => entry.verifiesCallers).map((entry) => entry.name);
const UNSET = (meaning: string) => `(unset: ${meaning})`;

/**
 * Every variable a service reads, in the order of the README's tables (Configuration, The gateway in
 * production). A new one belongs here and in the README; test/deploy.test.ts fails until it is.
 */
export const SETTINGS: readonly Setting[] = [
  {
    name: 'DATABASE_URL',
    readBy: ALL,
    default: (service) => (service === 'gateway' ? UNSET('no API keys, no data-change notices') : '(required)'),
  },
  { name: 'PORT', readBy: ALL, default: (service) => String(service === 'gateway' ? GATEWAY_DEFAULT_PORT : portOf(service)) },
  { name: 'METRICS_PORT', readBy: ALL, default: UNSET('/metrics on the main port') },
  { name: 'METRICS_TOKEN', readBy: ALL, default: UNSET('no token'), shown: 'withheld' },
  // Where the gateway finds every subgraph, and a subgraph the peers it asks about links (the registry's peers).
  ...SUBGRAPHS.map((entry): Setting => ({
    name: subgraphUrlVariable(entry.name),
    readBy: ['gateway', ...SUBGRAPHS.filter((other) => (other.peers as readonly string[]).includes(entry.name)).map((other) => other.name)],
    default: (service) => (service === 'gateway' ? UNSET("the supergraph's") : defaultSubgraphUrl(entry)),
  })),
  { name: 'HOST', readBy: ALL, default: '127.0.0.1' },
  {
    name: 'NODE_ENV',
    readBy: ALL,
    default: UNSET('not production'),
    readByLibrary: 'Apollo Server (stack traces in errors), beside the code of the gateway and the subgraphs that verify callers',
  },
  { name: 'CORS_ORIGINS', readBy: GATEWAY, default: UNSET('* in development, none in production') },
  { name: 'SEED_ON_START', readBy: SUBGRAPH_NAMES, default: 'true' },
  {
    name: 'AUTH_SECRET',
    readBy: ['gateway', ...WRITERS],
    default: UNSET('the development default, refused in production'),
    shown: 'withheld',
  },
  { name: 'AUTH_MAX_TOKEN_LIFETIME_SECONDS', readBy: ['gateway', ...WRITERS], default: '86400' },
  { name: 'AUTH_ISSUER', readBy: ['gateway', ...WRITERS], default: UNSET('neither written nor checked') },
  { name: 'AUTH_AUDIENCE', readBy: ['gateway', ...WRITERS], default: UNSET('neither written nor checked') },
  { name: 'APOLLO_TELEMETRY_DISABLED', readBy: GATEWAY, default: 'true' },
  { name: 'DATABASE_REPLICA_URLS', readBy: SUBGRAPH_NAMES, default: UNSET('no replicas') },
  { name: 'CHANGE_LOG_ACTOR_RETENTION_DAYS', readBy: WRITERS, default: UNSET('kept without limit') },
  { name: 'OTEL_TRACES_EXPORTER', readBy: ALL, default: 'none' },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    readBy: ALL,
    default: UNSET("the OpenTelemetry exporter's, http://localhost:4318"),
    readByLibrary: '@opentelemetry/exporter-trace-otlp-http, with OTEL_TRACES_EXPORTER=otlp',
  },
  { name: 'LOG_LEVEL', readBy: ALL, default: 'info' },
  { name: 'GATEWAY_MAX_DEPTH', readBy: GATEWAY, default: '12' },
  { name: 'GATEWAY_MAX_ALIASES', readBy: GATEWAY, default: '30' },
  { name: 'GATEWAY_MAX_TOKENS', readBy: GATEWAY, default: '2000' },
  { name: 'GATEWAY_MAX_DIRECTIVES', readBy: GATEWAY, default: '20' },
  { name: 'GATEWAY_MAX_COST', readBy: GATEWAY, default: '100000' },
  { name: 'DEMAND_CONTROL_DATA_YEARS', readBy: GATEWAY, default: 'true' },
  { name: 'GATEWAY_MAX_BODY_BYTES', readBy: GATEWAY, default: '102400' },
  { name: 'GATEWAY_MAX_BATCH', readBy: GATEWAY, default: '1' },
  { name: 'RATE_LIMIT_REQUESTS', readBy: GATEWAY, default: '600' },
  { name: 'RATE_LIMIT_WINDOW_SECONDS', readBy: GATEWAY, default: '60' },
  { name: 'TRUSTED_PROXY_HOPS', readBy: GATEWAY, default: '0' },
  { name: 'RATE_LIMIT_COST_POINTS', readBy: GATEWAY, default: '2000000' },
  { name: 'GATEWAY_CLIENT_ID_KEY', readBy: GATEWAY, default: UNSET('derived from AUTH_SECRET'), shown: 'withheld' },
  { name: 'API_KEYS_DATABASE_URL', readBy: GATEWAY, default: UNSET("DATABASE_URL's") },
  { name: 'DATA_CHANGES_DATABASE_URL', readBy: GATEWAY, default: UNSET("API_KEYS_DATABASE_URL's, else DATABASE_URL's") },
  { name: 'API_KEYS_CACHE_TTL_SECONDS', readBy: GATEWAY, default: '30' },
  { name: 'API_KEYS_TOKEN_LIFETIME_SECONDS', readBy: GATEWAY, default: '120' },
  { name: 'API_KEYS_POOL_MAX', readBy: GATEWAY, default: '10' },
  { name: 'GATEWAY_MAX_INFLIGHT_COST', readBy: GATEWAY, default: '100000' },
  { name: 'GATEWAY_CHEAP_COST', readBy: GATEWAY, default: '1000' },
  { name: 'GATEWAY_OFFLOAD_COST', readBy: GATEWAY, default: '20000' },
  { name: 'GATEWAY_QUERY_PLAN_STORE_BYTES', readBy: GATEWAY, default: '8388608' },
  { name: 'GATEWAY_PASS_THROUGH', readBy: GATEWAY, default: 'true' },
  { name: 'GATEWAY_DEDUPE_INFLIGHT', readBy: GATEWAY, default: 'true' },
  { name: 'GATEWAY_COMPRESSION', readBy: GATEWAY, default: 'true' },
  { name: 'GATEWAY_COMPRESSION_MIN_BYTES', readBy: GATEWAY, default: '1024' },
  { name: 'SUBGRAPH_TIMEOUT_MS', readBy: GATEWAY, default: '10000' },
  { name: 'SUBGRAPH_BREAKER_FAILURES', readBy: GATEWAY, default: '5' },
  { name: 'SUBGRAPH_BREAKER_COOLDOWN_MS', readBy: GATEWAY, default: '1000' },
  { name: 'SUBGRAPH_BREAKER_MAX_COOLDOWN_MS', readBy: GATEWAY, default: '3000 (at least SUBGRAPH_BREAKER_COOLDOWN_MS)' },
  { name: 'SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS', readBy: GATEWAY, default: '1000' },
  {
    name: 'REDIS_URL',
    readBy: ALL,
    default: (service) => UNSET(service === 'gateway' ? 'state in memory' : 'no shared data version to bump'),
  },
  { name: 'REDIS_KEY_PREFIX', readBy: ALL, default: 'regiograph:' },
  { name: 'PERSISTED_QUERIES', readBy: GATEWAY, default: 'true' },
  { name: 'SAFELIST', readBy: GATEWAY, default: 'false' },
  { name: 'SAFELIST_MANIFEST', readBy: GATEWAY, default: UNSET('none') },
  { name: 'RESPONSE_CACHE', readBy: GATEWAY, default: 'true' },
  { name: 'RESPONSE_CACHE_MAX_AGE', readBy: GATEWAY, default: '300' },
  { name: 'RESPONSE_CACHE_MAX_ENTRY_BYTES', readBy: GATEWAY, default: '1048576' },
  { name: 'INTROSPECTION', readBy: GATEWAY, default: UNSET('on outside production') },
  { name: 'GATEWAY_IDE', readBy: GATEWAY, default: UNSET('on outside production') },
  { name: 'WATCH_SUPERGRAPH', readBy: GATEWAY, default: UNSET('on outside production') },
  { name: 'MAX_DOCUMENT_NESTING', readBy: ALL, default: '100' },
  { name: 'MAX_VALIDATION_ERRORS', readBy: ALL, default: '10' },
  { name: 'SUBGRAPH_MAX_ITEMS', readBy: SUBGRAPH_NAMES, default: '1000000' },
  { name: 'SUBGRAPH_MAX_RESPONSE_BYTES', readBy: SUBGRAPH_NAMES, default: '33554432' },
  { name: 'DATABASE_STATEMENT_TIMEOUT_MS', readBy: SUBGRAPH_NAMES, default: '15000' },
  { name: 'DATABASE_POOL_MAX', readBy: SUBGRAPH_NAMES, default: '10' },
];

function portOf(service: SubgraphName): number {
  return SUBGRAPHS.find((entry) => entry.name === service)!.defaultPort;
}

/**
 * Variables that tools read, not the services: `npm start` (a subgraph's port), the test runner, the
 * bench, the partner examples, and npm's INIT_CWD, which the indicators' importer (its module is loaded
 * by the subgraph, its command runs only from npm) takes as the folder a relative path starts from. Set
 * in a service's environment they are no misspelling.
 */
export const TOOL_VARIABLES: readonly string[] = [
  'INIT_CWD',
  ...SUBGRAPHS.map((entry) => `${entry.name.toUpperCase()}_PORT`),
  'TEST_DATABASE_URL',
  'REGIOGRAPH_TEST_SERVER_URL',
  'REGIOGRAPH_TEST_TEMPLATE',
  'REGIOGRAPH_TOKEN',
  'SUBGRAPH_URLS',
];

/**
 * The beginnings of the project's variable names: a variable that starts so and that nothing reads
 * is a mistake worth a warning. Left out are words other software uses too (NODE_, OTEL_, APOLLO_,
 * LOG_), which would warn about variables meant for someone else.
 */
export const PROJECT_PREFIXES: readonly string[] = [
  'GATEWAY_',
  'SUBGRAPH_',
  'RATE_LIMIT_',
  'TRUSTED_PROXY_',
  'REDIS_',
  'CHANGE_LOG_',
  'DEMAND_CONTROL_',
  'RESPONSE_CACHE',
  'PERSISTED_QUERIES',
  'SAFELIST',
  'API_KEYS_',
  'AUTH_',
  'DATABASE_',
  'DATA_CHANGES_',
  'METRICS_',
  'MAX_DOCUMENT_',
  'MAX_VALIDATION_',
  'SEED_',
  'REGIOGRAPH_',
  ...SUBGRAPHS.map((entry) => `${entry.name.toUpperCase()}_`),
];

/** The settings a service reads. */
export function settingsOf(service: ServiceName): Setting[] {
  return SETTINGS.filter((setting) => setting.readBy.includes(service));
}

/** Every name a service or tool of the project reads. */
const KNOWN = new Set([...SETTINGS.map((setting) => setting.name), ...TOOL_VARIABLES]);

const MASK = '***';
const WITHHELD = '(set, withheld from the log)';

/** A URL's scheme and what stands between it and the host: `user:password`, or one word. */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/?#\s,]*)@/gi;
/** Parameters of a URL's query that carry a secret (libpq's `password`, `sslpassword`; tokens, keys). */
const SECRET_PARAMETER = /([?&](?:[a-z_]*pass(?:word)?|[a-z_]*secret|[a-z_]*token|[a-z_]*key)=)[^&#\s,]*/gi;

/**
 * A value with every password of a URL in it masked: `postgresql://user:***@host/db`,
 * `redis://:***@host:6379`, and secret parameters (`?password=***`). PostgreSQL's user stays
 * readable (which role a service connects as is what an operator looks for); of another scheme's
 * single word before the host (`redis://word@`, `https://token@`), which may be a password or a
 * token, nothing is shown.
 */
export function maskUrlPasswords(value: string): string {
  return value
    .replace(URL_USER_INFO, (_match, scheme: string, userInfo: string) => {
      const colon = userInfo.indexOf(':');
      if (colon >= 0) return `${scheme}${userInfo.slice(0, colon)}:${MASK}@`;
      return /^postgres(?:ql)?:\/\/$/i.test(scheme) ? `${scheme}${userInfo}@` : `${scheme}${MASK}@`;
    })
    .replace(SECRET_PARAMETER, `$1${MASK}`);
}

export interface SettingInEffect {
  /** The value as the log may show it. */
  value: string;
  /** `environment`: set there (not empty); `default`: unset or empty, so the service took its default. */
  from: 'environment' | 'default';
}

/** Each setting a service reads, with the value it took and where from; secrets withheld. */
export function settingsInEffect(service: ServiceName, env: NodeJS.ProcessEnv): Record<string, SettingInEffect> {
  const settings: Record<string, SettingInEffect> = {};
  for (const setting of settingsOf(service)) {
    const raw = env[setting.name];
    // Blank counts as unset: the readers (shared's config.ts) take their default for it.
    if (raw === undefined || raw.trim() === '') {
      settings[setting.name] = { value: typeof setting.default === 'string' ? setting.default : setting.default(service), from: 'default' };
    } else {
      settings[setting.name] = { value: setting.shown === 'withheld' ? WITHHELD : maskUrlPasswords(raw), from: 'environment' };
    }
  }
  return settings;
}

/**
 * What Kubernetes puts into every container for each Service of its namespace (`enableServiceLinks`):
 * `GATEWAY_SERVICE_HOST`, `REGIONS_PORT_4001_TCP_ADDR`, and `REGIONS_PORT=tcp://10.0.0.7:4001`. Not
 * the operator's settings, so never taken for misspellings of the project's.
 */
function isServiceLink(name: string, value: string): boolean {
  if (/_SERVICE_(?:HOST|PORT(?:_[A-Z0-9_]+)?)$/.test(name)) return true;
  if (/_PORT_\d+_(?:TCP|UDP|SCTP)(?:_(?:ADDR|PORT|PROTO))?$/.test(name)) return true;
  return /_PORT$/.test(name) && /^(?:tcp|udp|sctp):\/\//.test(value);
}

/** Known names this long or longer are matched against misspellings of their beginning too. */
const MATCHED_WITHOUT_PREFIX = 8;
/** Edits that still make a name a misspelling of a known one, when it lacks the project's prefixes. */
const NEAR_MISS_EDITS = 2;

export interface UnknownSetting {
  /** The variable nobody reads. */
  name: string;
  /** The known name nearest to it (fewest edits). */
  nearest: string;
}

/** The known name fewest edits away; of equally near ones, the first in alphabetical order. */
function nearestKnown(name: string): string {
  let best = { name: '', edits: Number.POSITIVE_INFINITY };
  for (const known of KNOWN) {
    const edits = editDistance(name, known, Math.max(name.length, known.length));
    if (edits < best.edits || (edits === best.edits && known < best.name)) best = { name: known, edits };
  }
  return best.name;
}

/**
 * The variables of `env` that look meant for RegioGraph but that no service or tool reads: a name
 * that starts with one of the project's prefixes, or one a couple of edits from a known name (a
 * misspelt prefix: `GATWAY_MAX_DEPTH`). Only names are looked at; values are never logged.
 */
export function unknownSettings(env: NodeJS.ProcessEnv): UnknownSetting[] {
  const unknown: UnknownSetting[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (KNOWN.has(name) || !/^[A-Z][A-Z0-9_]*$/.test(name) || isServiceLink(name, value ?? '')) continue;
    const prefixed = PROJECT_PREFIXES.some((prefix) => name.startsWith(prefix));
    // The cheap bounded comparison first: a service's environment holds dozens of other variables.
    const nearMiss = () =>
      [...KNOWN].some((known) => known.length >= MATCHED_WITHOUT_PREFIX && editDistance(name, known, NEAR_MISS_EDITS) <= NEAR_MISS_EDITS);
    if (prefixed || nearMiss()) unknown.push({ name, nearest: nearestKnown(name) });
  }
  return unknown.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Said once by each service as it starts (the gateway's createGateway, a subgraph's server): one line
 * `settings in effect` with every setting it reads, and a warning for each variable of the project's
 * that nothing reads, naming the setting meant most likely.
 */
export function logSettingsInEffect(logger: Logger, service: ServiceName, env: NodeJS.ProcessEnv = process.env): void {
  logger.info('settings in effect', { settings: settingsInEffect(service, env) });
  for (const { name, nearest } of unknownSettings(env)) {
    logger.warn(`${name} is read by no RegioGraph service and has no effect: did you mean ${nearest}?`, { variable: name, nearest });
  }
}
