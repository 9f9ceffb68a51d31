import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse } from 'graphql';
import type { Logger } from '@regiograph/shared';

type SupergraphUpdate = (supergraphSdl: string) => void;

export type ReloadResult = { ok: true; changed: boolean } | { ok: false; error: string };

/** Why a supergraph may not be served (a check's reason), or null when it may. */
export type SupergraphCheck = (subgraphNames: readonly string[]) => string | null;

/** The names of the subgraphs a supergraph routes to (its join__Graph values); throws for one that is not valid. */
export function subgraphNamesOf(sdl: string): string[] {
  return [...Supergraph.build(sdl).subgraphs().names()];
}

/**
 * The names of the subgraphs a supergraph routes to, read from its join__Graph enum without building
 * it, for a text ApolloGateway builds and validates anyway (the one it starts with): Supergraph.build
 * costs 0.2–0.4 s of CPU, and every gateway made in a test paid it twice. A supergraph whose join
 * enum is named otherwise (an import under another name) takes the full build.
 */
export function routedSubgraphNames(sdl: string): string[] {
  const joinGraph = parse(sdl).definitions.find(
    (definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph',
  );
  if (joinGraph?.kind !== Kind.ENUM_TYPE_DEFINITION) return subgraphNamesOf(sdl);
  return (joinGraph.values ?? []).map((value) => {
    const name = value.directives
      ?.find((directive) => directive.name.value === 'join__graph')
      ?.arguments?.find((argument) => argument.name.value === 'name')?.value;
    if (name?.kind !== Kind.STRING) throw new Error(`join__Graph.${value.name.value} names no subgraph (@join__graph(name:))`);
    return name.value;
  });
}

/**
 * The supergraph the gateway serves, read from the composed file. A changed file (watched) or a
 * signal (SIGHUP, wired in index.ts) loads a new one without a restart; a file that is not a valid
 * supergraph is refused and the old one keeps serving.
 */
export class SupergraphSource {
  private sdl: string;
  private update: SupergraphUpdate | null = null;
  private watcher: FSWatcher | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private readonly listeners: ((sdl: string) => void)[] = [];
  private readonly checks: SupergraphCheck[] = [];

  constructor(
    private readonly path: string,
    initialSdl: string,
    private readonly logger: Logger,
  ) {
    this.sdl = initialSdl;
  }

  static async fromFile(path: string, logger: Logger): Promise<SupergraphSource> {
    return new SupergraphSource(path, await readFile(path, 'utf8'), logger);
  }

  get current(): string {
    return this.sdl;
  }

  onChange(listener: (sdl: string) => void): void {
    this.listeners.push(listener);
  }

  /** A reloaded supergraph that fails `check` is refused like an invalid one, and the old one keeps serving. */
  refuseUnless(check: SupergraphCheck): void {
    this.checks.push(check);
  }

  /** For ApolloGateway's `supergraphSdl` option: hands over the first supergraph and keeps the update hook. */
  readonly load = async ({ update }: { update: SupergraphUpdate }) => {
    this.update = update;
    return { supergraphSdl: this.sdl, cleanup: async () => this.stopWatching() };
  };

  async reload(): Promise<ReloadResult> {
    let next: string;
    try {
      next = await readFile(this.path, 'utf8');
    } catch (error) {
      return this.refuse(`cannot read ${this.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (next === this.sdl) return { ok: true, changed: false };
    let names: string[];
    try {
      names = subgraphNamesOf(next);
    } catch (error) {
      return this.refuse(`not a valid supergraph: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const check of this.checks) {
      const reason = check(names);
      if (reason !== null) return this.refuse(reason);
    }
    try {
      this.update?.(next);
    } catch (error) {
      return this.refuse(`the gateway refused it: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.sdl = next;
    for (const listener of this.listeners) listener(next);
    this.logger.info('loaded a new supergraph', { path: this.path });
    return { ok: true, changed: true };
  }

  watch(): void {
    if (this.watcher) return;
    this.watcher = watch(this.path, () => {
      // Editors and `mv` produce bursts of events; reload once they settle.
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.reload(), 200);
    });
    this.watcher.on('error', (error) => this.logger.warn('cannot watch the supergraph file', { error: error.message }));
  }

  stopWatching(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = null;
  }

  private refuse(reason: string): ReloadResult {
    this.logger.error('refused a new supergraph; the old one keeps serving', { path: this.path, reason });
    return { ok: false, error: reason };
  }
}
