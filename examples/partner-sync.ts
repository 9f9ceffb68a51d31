// A partner system's mirror of RegioGraph's projects and cooperations in a local JSON file, kept current
// through the change feeds.
//
//   npx tsx examples/partner-sync.ts --url http://localhost:4000/graphql --out mirror.json --once
//   npx tsx examples/partner-sync.ts --url http://localhost:4000/graphql --out mirror.json --follow
//
// First run: it notes where each feed ends, then copies every record, then follows the feeds from the
// noted positions. A change committed while it copies is therefore applied again afterwards, which is
// harmless: applying a change means fetching the record's current state by key (or dropping it for a
// tombstone), so applying twice gives the same mirror. A feed's cursor is stored only together with
// the records its page changed, in one atomic file replacement, so a crash never skips a change.
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  CooperationByKeyDocument,
  CooperationChangesDocument,
  CooperationsPageDocument,
  createClient,
  GraphQLRequestError,
  ProjectByKeyDocument,
  ProjectChangesDocument,
  ProjectsPageDocument,
  TransportError,
  type CooperationRecordFragment,
  type ProjectRecordFragment,
  type RegioGraphClient,
} from '@regiograph/client';

export interface Mirror {
  /** The endpoint the mirror was taken from. */
  url: string;
  /** Where each feed was last applied up to; null before the first copy. */
  cursors: { projects: string | null; cooperations: string | null };
  projects: Record<string, ProjectRecordFragment>;
  cooperations: Record<string, CooperationRecordFragment>;
  /** When the mirror was last written (ISO 8601). */
  savedAt: string | null;
}

export interface SyncOptions {
  client: RegioGraphClient;
  out: string;
  url: string;
  /** Records and changes per request. @default 100 */
  pageSize?: number;
  /** Parallel look-ups by key while applying a page of changes. @default 4 */
  concurrency?: number;
  log?: (line: string) => void;
}

/** A change as both feeds report it. */
interface Change {
  key: string;
  operation: string;
}

interface Feed {
  changes: Change[];
  endCursor: string;
  hasMore: boolean;
}

/** What differs between the two kinds of record. */
interface Collection<TRecord extends { id: string }> {
  name: 'projects' | 'cooperations';
  changes(client: RegioGraphClient, after: string | null, first: number): Promise<Feed>;
  page(
    client: RegioGraphClient,
    after: string | null,
    first: number,
  ): Promise<{ nodes: TRecord[]; hasNextPage: boolean; endCursor: string | null }>;
  byKey(client: RegioGraphClient, id: string): Promise<TRecord | null>;
}

/** A look-up by key: null only when the API says the record does not exist (NOT_FOUND). */
async function lookUp<TResult, TRecord>(run: () => Promise<TResult>, pick: (data: TResult) => TRecord | null): Promise<TRecord | null> {
  try {
    return pick(await run());
  } catch (error) {
    if (error instanceof GraphQLRequestError && error.codes.every((code) => code === 'NOT_FOUND')) return null;
    throw error;
  }
}

const PROJECTS: Collection<ProjectRecordFragment> = {
  name: 'projects',
  async changes(client, after, first) {
    return (await client.request(ProjectChangesDocument, { after, first })).projectChanges;
  },
  async page(client, after, first) {
    const { projects } = await client.request(ProjectsPageDocument, { after, first });
    return { nodes: projects.nodes, ...projects.pageInfo };
  },
  byKey: (client, id) =>
    lookUp(
      () => client.request(ProjectByKeyDocument, { id }),
      (data) => data.project ?? null,
    ),
};

const COOPERATIONS: Collection<CooperationRecordFragment> = {
  name: 'cooperations',
  async changes(client, after, first) {
    return (await client.request(CooperationChangesDocument, { after, first })).cooperationChanges;
  },
  async page(client, after, first) {
    const { cooperations } = await client.request(CooperationsPageDocument, { after, first });
    return { nodes: cooperations.nodes, ...cooperations.pageInfo };
  },
  byKey: (client, id) =>
    lookUp(
      () => client.request(CooperationByKeyDocument, { id }),
      (data) => data.cooperation ?? null,
    ),
};

export function emptyMirror(url: string): Mirror {
  return { url, cursors: { projects: null, cooperations: null }, projects: {}, cooperations: {}, savedAt: null };
}

/** The mirror in `file`, or an empty one when there is none yet. */
export function loadMirror(file: string, url: string): Mirror {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyMirror(url);
    throw error;
  }
  const mirror = JSON.parse(text) as Mirror;
  if (mirror.url !== url) throw new Error(`${file} mirrors ${mirror.url}, not ${url}: use another --out`);
  return mirror;
}

/**
 * Writes the mirror to a temporary file beside it, flushes it to disk and renames it over the old one:
 * a reader or a crash sees the old mirror or the new one, never half of one.
 */
export function saveMirror(file: string, mirror: Mirror): void {
  mirror.savedAt = new Date().toISOString();
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomUUID()}.tmp`);
  const descriptor = openSync(temporary, 'w');
  try {
    writeSync(descriptor, JSON.stringify(mirror, null, 1) + '\n');
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, file);
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

/** The feed's current end: `first: 0` answers no changes and the head as endCursor. */
async function feedHead<TRecord extends { id: string }>(collection: Collection<TRecord>, client: RegioGraphClient): Promise<string> {
  return (await collection.changes(client, null, 0)).endCursor;
}

async function copyAll<TRecord extends { id: string }>(
  collection: Collection<TRecord>,
  client: RegioGraphClient,
  pageSize: number,
): Promise<Record<string, TRecord>> {
  const records: Record<string, TRecord> = {};
  let after: string | null = null;
  for (;;) {
    const page: Awaited<ReturnType<Collection<TRecord>['page']>> = await collection.page(client, after, pageSize);
    for (const node of page.nodes) records[node.id] = node;
    if (!page.hasNextPage || !page.endCursor) return records;
    after = page.endCursor;
  }
}

/** Copies every record when the mirror has none yet (its cursors are null). */
async function initialCopy(options: SyncOptions, mirror: Mirror): Promise<void> {
  const pageSize = options.pageSize ?? 100;
  if (mirror.cursors.projects === null) {
    const head = await feedHead(PROJECTS, options.client);
    mirror.projects = await copyAll(PROJECTS, options.client, pageSize);
    mirror.cursors.projects = head;
    saveMirror(options.out, mirror);
    options.log?.(`copied ${Object.keys(mirror.projects).length} projects`);
  }
  if (mirror.cursors.cooperations === null) {
    const head = await feedHead(COOPERATIONS, options.client);
    mirror.cooperations = await copyAll(COOPERATIONS, options.client, pageSize);
    mirror.cursors.cooperations = head;
    saveMirror(options.out, mirror);
    options.log?.(`copied ${Object.keys(mirror.cooperations).length} cooperations`);
  }
}

/**
 * Applies one page of a feed and stores its end cursor with the changed records. Within a page only a
 * key's last change matters: a look-up returns the current state anyway, and a tombstone removes it.
 */
async function applyPage<TRecord extends { id: string }>(
  collection: Collection<TRecord>,
  options: SyncOptions,
  mirror: Mirror,
  records: Record<string, TRecord>,
): Promise<{ applied: number; hasMore: boolean }> {
  const feed = await collection.changes(options.client, mirror.cursors[collection.name], options.pageSize ?? 100);
  const last = new Map<string, Change>();
  for (const change of feed.changes) {
    last.delete(change.key);
    last.set(change.key, change);
  }
  await eachLimited([...last.values()], options.concurrency ?? 4, async (change) => {
    const current = change.operation === 'DELETED' ? null : await collection.byKey(options.client, change.key);
    if (current) records[change.key] = current;
    else delete records[change.key];
  });
  if (feed.changes.length > 0 || feed.endCursor !== mirror.cursors[collection.name]) {
    mirror.cursors[collection.name] = feed.endCursor;
    saveMirror(options.out, mirror);
  }
  return { applied: feed.changes.length, hasMore: feed.hasMore };
}

/** Brings the mirror up to the current end of both feeds (copying everything first on a first run). */
export async function catchUp(options: SyncOptions): Promise<Mirror> {
  const mirror = loadMirror(options.out, options.url);
  await initialCopy(options, mirror);
  let applied = 0;
  for (;;) {
    const projects = await applyPage(PROJECTS, options, mirror, mirror.projects);
    const cooperations = await applyPage(COOPERATIONS, options, mirror, mirror.cooperations);
    applied += projects.applied + cooperations.applied;
    if (!projects.hasMore && !cooperations.hasMore) break;
  }
  options.log?.(
    `caught up: ${applied} changes applied, ${Object.keys(mirror.projects).length} projects, ${Object.keys(mirror.cooperations).length} cooperations`,
  );
  return mirror;
}

/** Catches up, then polls every `intervalMs` until `signal` aborts; a failed round is logged and retried. */
export async function follow(options: SyncOptions & { intervalMs: number; signal: AbortSignal }): Promise<void> {
  while (!options.signal.aborted) {
    try {
      await catchUp(options);
    } catch (error) {
      options.log?.(`sync failed, retrying: ${(error as Error).message}`);
    }
    if (options.signal.aborted) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.intervalMs);
      options.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}

const USAGE = `usage: npx tsx examples/partner-sync.ts --url <gateway /graphql URL> --out <mirror.json> (--once | --follow)
  --once              catch up with both change feeds and exit
  --follow            catch up, then poll until SIGINT/SIGTERM
  --interval <ms>     polling interval with --follow (default 2000)
  --page-size <n>     records and changes per request (default 100)
  --token <jwt>       bearer token (or REGIOGRAPH_TOKEN)
  --api-key <key>     partner API key (or REGIOGRAPH_API_KEY)`;

/** A whole number of at least `min` from a command-line option, or null. */
function wholeNumber(text: string, min: number): number | null {
  const value = Number(text);
  return Number.isInteger(value) && value >= min ? value : null;
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    options: {
      url: { type: 'string' },
      out: { type: 'string' },
      once: { type: 'boolean', default: false },
      follow: { type: 'boolean', default: false },
      interval: { type: 'string', default: '2000' },
      'page-size': { type: 'string', default: '100' },
      token: { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
}

async function main(): Promise<number> {
  let values: ReturnType<typeof parseOptions>['values'];
  try {
    ({ values } = parseOptions(process.argv.slice(2)));
  } catch (error) {
    console.error(`[partner-sync] ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const pageSize = wholeNumber(values['page-size'], 1);
  const intervalMs = wholeNumber(values.interval, 0);
  if (values.help || !values.url || !values.out || values.once === values.follow || pageSize === null || intervalMs === null) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const client = createClient({
    url: values.url,
    token: values.token ?? process.env.REGIOGRAPH_TOKEN,
    apiKey: values['api-key'] ?? process.env.REGIOGRAPH_API_KEY,
    // Counted by this name when it uses a deprecated field without an API key (docs/api-changes.md).
    clientName: 'partner-sync',
  });
  const log = (line: string) => console.log(`[partner-sync] ${line}`);
  const options: SyncOptions = { client, out: path.resolve(values.out), url: values.url, pageSize, log };
  if (values.once) {
    await catchUp(options);
    return 0;
  }
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  log(`following ${values.url} into ${options.out}`);
  await follow({ ...options, intervalMs, signal: stop.signal });
  log('stopped');
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      // The client's errors say what failed (HTTP, GraphQL codes, attempts); a stack adds nothing for
      // the operator. Anything else is a bug here: keep its stack.
      const known = error instanceof GraphQLRequestError || error instanceof TransportError;
      console.error(`[partner-sync] ${known ? error.message : ((error as Error).stack ?? String(error))}`);
      process.exit(1);
    },
  );
}
