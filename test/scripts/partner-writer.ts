// The concurrent writer of test/partner-sync.test.ts, a process of its own: for --seconds it creates,
// updates and deletes projects and cooperations through the gateway with an editor's token, from
// several workers at once, and now and then sends two updates of one record at the same moment
// (overlapping transactions: one wins, the other gets VERSION_CONFLICT; NOT_FOUND when another worker
// deleted the record meanwhile). It touches only records it
// created. At the end it writes every acknowledged write to --log as JSON.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  CreateCooperationDocument,
  CreateProjectDocument,
  DeleteCooperationDocument,
  DeleteProjectDocument,
  UpdateCooperationDocument,
  UpdateProjectDocument,
  createClient,
  GraphQLRequestError,
  type RegioGraphClient,
} from '@regiograph/client';

export interface AcknowledgedWrite {
  entity: 'project' | 'cooperation';
  operation: 'CREATED' | 'UPDATED' | 'DELETED';
  key: string;
  /** The version the write produced (the deleted version for a delete). */
  version: number;
}

export interface WriterLog {
  writes: AcknowledgedWrite[];
  /** Writes refused because another one came first (VERSION_CONFLICT, or NOT_FOUND after a delete): the races' purpose. */
  conflicts: number;
  /** Anything else that failed: the test expects none. */
  failures: string[];
}

/** A small deterministic generator (mulberry32), so a run's mix of actions can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Owned {
  projects: Map<string, number>;
  cooperations: Map<string, number>;
}

interface Payload {
  errors: { code: string; message: string }[];
}

class Writer {
  readonly log: WriterLog = { writes: [], conflicts: 0, failures: [] };
  private readonly owned: Owned = { projects: new Map(), cooperations: new Map() };
  private serial = 0;

  constructor(private readonly client: RegioGraphClient) {}

  /** Records a payload's outcome; returns whether the write was acknowledged. */
  private outcome(what: string, payload: Payload, write: AcknowledgedWrite | null): boolean {
    if (payload.errors.length === 0 && write) {
      this.log.writes.push(write);
      return true;
    }
    if (payload.errors.every((error) => error.code === 'VERSION_CONFLICT' || error.code === 'NOT_FOUND')) this.log.conflicts++;
    else this.log.failures.push(`${what}: ${JSON.stringify(payload.errors)}`);
    return false;
  }

  private pick(map: Map<string, number>, next: () => number): [string, number] | null {
    if (map.size === 0) return null;
    const entries = [...map.entries()];
    return entries[Math.floor(next() * entries.length)]!;
  }

  async createProject(): Promise<[string, number] | null> {
    const n = ++this.serial;
    const { createProject } = await this.client.request(CreateProjectDocument, {
      input: {
        title: `Partner-sync test project ${n} (synthetic)`,
        summary: 'Written by the concurrent writer of the partner-sync test.',
        kind: 'MODEL_PROJECT',
        topics: ['MOBILITY'],
        startDate: '2026-03-01',
        endDate: '2027-02-28',
        regions: [{ regionCode: '03459', role: 'LEAD' }],
      },
    });
    const project = createProject.project;
    if (
      this.outcome(
        'createProject',
        createProject,
        project && { entity: 'project', operation: 'CREATED', key: project.id, version: project.version },
      )
    ) {
      this.owned.projects.set(project!.id, project!.version);
      return [project!.id, project!.version];
    }
    return null;
  }

  async updateProject(target: [string, number], label: string): Promise<number | null> {
    const [id, version] = target;
    const { updateProject } = await this.client.request(UpdateProjectDocument, {
      input: {
        id,
        expectedVersion: version,
        title: `Partner-sync test project ${id} ${label} (synthetic)`,
        summary: `Updated (${label}) by the concurrent writer.`,
      },
    });
    const project = updateProject.project;
    if (
      this.outcome(
        'updateProject',
        updateProject,
        project && { entity: 'project', operation: 'UPDATED', key: id, version: project.version },
      )
    ) {
      if (this.owned.projects.has(id)) this.owned.projects.set(id, Math.max(project!.version, this.owned.projects.get(id)!));
      return project!.version;
    }
    return null;
  }

  async deleteProject(target: [string, number]): Promise<void> {
    const [id, version] = target;
    this.owned.projects.delete(id);
    const { deleteProject } = await this.client.request(DeleteProjectDocument, { id, expectedVersion: version });
    if (!this.outcome('deleteProject', deleteProject, { entity: 'project', operation: 'DELETED', key: id, version }))
      this.owned.projects.set(id, version);
  }

  async createCooperation(): Promise<[string, number] | null> {
    const n = ++this.serial;
    const { createCooperation } = await this.client.request(CreateCooperationDocument, {
      input: {
        name: `Partner-sync test cooperation ${n} (synthetic)`,
        kind: 'OTHER',
        description: 'Written by the concurrent writer of the partner-sync test.',
        founded: '2026-01-01',
        members: [
          { regionCode: '03459', validFrom: '2026-01-01' },
          { regionCode: '03404', validFrom: '2026-01-01' },
        ],
      },
    });
    const cooperation = createCooperation.cooperation;
    if (
      this.outcome(
        'createCooperation',
        createCooperation,
        cooperation && { entity: 'cooperation', operation: 'CREATED', key: cooperation.id, version: cooperation.version },
      )
    ) {
      this.owned.cooperations.set(cooperation!.id, cooperation!.version);
      return [cooperation!.id, cooperation!.version];
    }
    return null;
  }

  async updateCooperation(target: [string, number], label: string): Promise<number | null> {
    const [id, version] = target;
    const { updateCooperation } = await this.client.request(UpdateCooperationDocument, {
      input: {
        id,
        expectedVersion: version,
        name: `Partner-sync test cooperation ${id} ${label} (synthetic)`,
        description: `Updated (${label}) by the concurrent writer.`,
      },
    });
    const cooperation = updateCooperation.cooperation;
    if (
      this.outcome(
        'updateCooperation',
        updateCooperation,
        cooperation && { entity: 'cooperation', operation: 'UPDATED', key: id, version: cooperation.version },
      )
    ) {
      if (this.owned.cooperations.has(id))
        this.owned.cooperations.set(id, Math.max(cooperation!.version, this.owned.cooperations.get(id)!));
      return cooperation!.version;
    }
    return null;
  }

  async deleteCooperation(target: [string, number]): Promise<void> {
    const [id, version] = target;
    this.owned.cooperations.delete(id);
    const { deleteCooperation } = await this.client.request(DeleteCooperationDocument, { id, expectedVersion: version });
    if (!this.outcome('deleteCooperation', deleteCooperation, { entity: 'cooperation', operation: 'DELETED', key: id, version }))
      this.owned.cooperations.set(id, version);
  }

  /**
   * Every kind of write once, whatever the random mix does on a slow machine: a project and a
   * cooperation are created, updated, raced (two updates of the same version at once) and deleted.
   */
  async prelude(): Promise<void> {
    const project = await this.createProject();
    const cooperation = await this.createCooperation();
    if (!project || !cooperation) return;
    // Kept from the other workers, so no one else's write gets in the way of these.
    this.owned.projects.delete(project[0]);
    this.owned.cooperations.delete(cooperation[0]);
    project[1] = (await this.updateProject(project, 'prelude')) ?? project[1];
    cooperation[1] = (await this.updateCooperation(cooperation, 'prelude')) ?? cooperation[1];
    const won = (results: PromiseSettledResult<number | null>[]) =>
      results.map((result) => (result.status === 'fulfilled' ? result.value : null)).find((version) => version !== null);
    project[1] =
      won(await Promise.allSettled([this.updateProject(project, 'prelude-a'), this.updateProject(project, 'prelude-b')])) ?? project[1];
    cooperation[1] =
      won(await Promise.allSettled([this.updateCooperation(cooperation, 'prelude-a'), this.updateCooperation(cooperation, 'prelude-b')])) ??
      cooperation[1];
    await this.deleteProject(project);
    await this.deleteCooperation(cooperation);
  }

  /** One step of a worker: an action drawn by weight; an action without a target creates instead. */
  async step(next: () => number, worker: number): Promise<void> {
    const draw = next();
    const label = `w${worker}-${++this.serial}`;
    const project = this.pick(this.owned.projects, next);
    const cooperation = this.pick(this.owned.cooperations, next);
    if (draw < 0.2 || !project) await this.createProject();
    else if (draw < 0.4) await this.updateProject(project, label);
    else if (draw < 0.47) await this.deleteProject(project);
    else if (draw < 0.6 || !cooperation) await this.createCooperation();
    else if (draw < 0.78) await this.updateCooperation(cooperation, label);
    else if (draw < 0.84) await this.deleteCooperation(cooperation);
    // Two transactions on one record at once: both read the same version, one commits first.
    else if (draw < 0.92) await this.settle([this.updateProject(project, `${label}a`), this.updateProject(project, `${label}b`)]);
    else
      await this.settle([
        this.updateCooperation(cooperation, `${label}a`),
        this.updateCooperation(cooperation, `${label}b`),
        this.createProject(),
      ]);
  }

  /** Waits for all of a race's writes (none may still be running when the log is written). */
  private async settle(writes: Promise<unknown>[]): Promise<void> {
    for (const result of await Promise.allSettled(writes)) if (result.status === 'rejected') this.failed(result.reason);
  }

  /**
   * A write that threw. NOT_FOUND is a race the writer provokes: another worker deleted the record
   * between the pick and the write.
   */
  failed(error: unknown): void {
    if (error instanceof GraphQLRequestError && error.codes.every((code) => code === 'NOT_FOUND' || code === 'VERSION_CONFLICT'))
      this.log.conflicts++;
    else this.log.failures.push((error as Error).message);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      seconds: { type: 'string', default: '30' },
      workers: { type: 'string', default: '4' },
      seed: { type: 'string', default: '18' },
      log: { type: 'string' },
    },
  });
  const token = process.env.REGIOGRAPH_TOKEN;
  if (!values.url || !values.log || !token)
    throw new Error('usage: partner-writer.ts --url <gateway> --log <file> [--seconds 30] [--workers 4] (token in REGIOGRAPH_TOKEN)');
  const writer = new Writer(createClient({ url: values.url, token, timeoutMs: 60_000 }));
  const deadline = Date.now() + Number(values.seconds) * 1000;
  const workers = Array.from({ length: Number(values.workers) }, async (_, worker) => {
    const next = random(Number(values.seed) * 1000 + worker);
    if (worker === 0) await writer.prelude().catch((error: unknown) => writer.failed(error));
    while (Date.now() < deadline) {
      try {
        await writer.step(next, worker);
      } catch (error) {
        writer.failed(error);
      }
    }
  });
  await Promise.all(workers);
  writeFileSync(values.log, JSON.stringify(writer.log, null, 1));
  const count = (operation: string) => writer.log.writes.filter((write) => write.operation === operation).length;
  console.log(
    `[partner-writer] ${writer.log.writes.length} writes (${count('CREATED')} created, ${count('UPDATED')} updated, ${count('DELETED')} deleted), ${writer.log.conflicts} version conflicts, ${writer.log.failures.length} failures`,
  );
}

main().catch((error: unknown) => {
  console.error(`[partner-writer] ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
