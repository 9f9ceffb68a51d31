import { FIELD_TOPICS, topicsOfFields } from './landscape';

/** What the coherence rules look at in a project, however it was read (generator output, database, gateway). */
export interface CoherenceProject {
  id: string;
  title: string;
  topics: string[];
  cooperationId: string | null;
  /** The project's regions (lead, partners, beneficiaries) with their official names. */
  regions: { code: string; name: string }[];
  fundings: { programmeCode: string; amountCents: bigint }[];
  indicatorCodes: string[];
}

export interface CoherenceCooperation {
  id: string;
  kind: string;
  status: string;
  /** Member region codes. */
  members: string[];
  fieldsOfAction: string[];
  budgetCents: bigint | null;
}

export interface CoherenceData {
  projects: CoherenceProject[];
  cooperations: CoherenceCooperation[];
  /** Codes of the real funding programmes. */
  programmeCodes: string[];
  /** Codes of the indicators that exist (official catalogue and synthetic list). */
  indicatorCodes: string[];
}

/** A violated rule, naming the record. */
export class CoherenceError extends Error {
  constructor(
    readonly recordId: string,
    rule: string,
  ) {
    super(`${recordId}: ${rule}`);
    this.name = 'CoherenceError';
  }
}

function inside(code: string, area: string[]): boolean {
  return area.some((member) => code.startsWith(member));
}

/**
 * Checks the rules of issue 11 over a whole data set and throws on the first violation, naming the
 * record: a project carried by a cooperation lies inside its members' area and its title names a
 * place there; its topics fit the cooperation's fields of action; a project funded by the
 * Zukunftsregionen programme belongs to a Zukunftsregion, whose projects' funding stays within its
 * stated budget; programmes are the real ones; linked indicators exist.
 */
export function checkCoherence(data: CoherenceData): void {
  const cooperations = new Map(data.cooperations.map((cooperation) => [cooperation.id, cooperation]));
  const programmes = new Set(data.programmeCodes);
  const indicators = new Set(data.indicatorCodes);
  const spent = new Map<string, bigint>();
  for (const project of data.projects) {
    const fail = (rule: string): never => {
      throw new CoherenceError(`project ${project.id} ("${project.title}")`, rule);
    };
    for (const funding of project.fundings)
      if (!programmes.has(funding.programmeCode)) fail(`programme ${funding.programmeCode} is not a real programme`);
    for (const code of project.indicatorCodes) if (!indicators.has(code)) fail(`linked indicator ${code} does not exist`);
    const carrier = project.cooperationId ? cooperations.get(project.cooperationId) : undefined;
    if (project.cooperationId && !carrier) fail(`cooperation ${project.cooperationId} does not exist`);
    if (carrier) {
      if (carrier.status === 'PLANNED') fail(`its cooperation ${carrier.id} is only planned`);
      for (const region of project.regions) {
        if (!inside(region.code, carrier.members))
          fail(`region ${region.code} (${region.name}) lies outside the area of cooperation ${carrier.id}`);
      }
      if (!project.regions.some((region) => inside(region.code, carrier.members) && project.title.includes(region.name))) {
        fail(`the title names no place in the area of cooperation ${carrier.id}`);
      }
      const unknownFields = carrier.fieldsOfAction.filter((field) => !(field in FIELD_TOPICS));
      if (unknownFields.length > 0)
        fail(`cooperation ${carrier.id} has fields of action without a topic mapping: ${unknownFields.join(', ')}`);
      const fitting = topicsOfFields(carrier.fieldsOfAction);
      for (const topic of project.topics) {
        if (!fitting.includes(topic as (typeof fitting)[number]))
          fail(
            `topic ${topic} fits none of the fields of action of cooperation ${carrier.id} (${carrier.fieldsOfAction.join('; ') || 'none known'})`,
          );
      }
    }
    const zukunftsFunding = project.fundings.filter((funding) => funding.programmeCode === 'ZUKUNFTSREGIONEN');
    if (zukunftsFunding.length > 0) {
      if (!carrier || carrier.kind !== 'ZUKUNFTSREGION')
        fail('it is funded by the Zukunftsregionen programme but not carried by a Zukunftsregion');
      const total = (spent.get(carrier!.id) ?? 0n) + zukunftsFunding.reduce((sum, funding) => sum + funding.amountCents, 0n);
      if (carrier!.budgetCents === null) fail(`its Zukunftsregion ${carrier!.id} states no budget to stay within`);
      if (total > carrier!.budgetCents!)
        fail(
          `the Zukunftsregionen funding of ${carrier!.id}'s projects (${total} cents) exceeds its stated budget (${carrier!.budgetCents} cents)`,
        );
      spent.set(carrier!.id, total);
    }
  }
}
