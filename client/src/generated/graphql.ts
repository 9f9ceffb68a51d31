/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** The sector an actor of a cooperation belongs to. */
export type ActorSector =
  /** Public administration. */
  | 'ADMINISTRATION'
  /** Companies, chambers and business development agencies. */
  | 'BUSINESS'
  /** Associations, initiatives and volunteers. */
  | 'CIVIL_SOCIETY'
  /** Councils, district assemblies and other political bodies. */
  | 'POLITICS'
  /** Universities and research institutes. */
  | 'SCIENCE';

/** What a write did to a record. */
export type ChangeOperation =
  /** The record was created. */
  | 'CREATED'
  /** The record was deleted (a tombstone: the key stays in the feed). */
  | 'DELETED'
  /** The record was changed. */
  | 'UPDATED';

/** The kinds of record in the change feed of cooperations and their memberships. */
export type CooperationChangeEntity =
  /** A cooperation (key: its id, e.g. "C-017"). */
  | 'COOPERATION'
  /** A region’s membership in a cooperation (key: e.g. "C-017.3"); its cooperation changes with it. */
  | 'MEMBERSHIP';

/** Why an input of a cooperation mutation was refused: the codes of ProjectInputErrorCode, with the same meanings, without UNKNOWN_PROGRAMME and with IN_USE. */
export type CooperationInputErrorCode =
  /** The value is malformed or inconsistent (e.g. not a calendar date, a member named twice, status and dates disagree). */
  | 'INVALID'
  /** The record cannot change that way from its current state (e.g. ending a membership that already ended). */
  | 'INVALID_TRANSITION'
  /** Records of another subgraph still link to the record (projects that a cooperation carries): unlink them before deleting it. */
  | 'IN_USE'
  /** The record to change does not exist. */
  | 'NOT_FOUND'
  /** The value lies outside the allowed range (e.g. too long, an end before the start). */
  | 'OUT_OF_RANGE'
  /** A required value is missing or empty. */
  | 'REQUIRED'
  /** The region code is not a region of Lower Saxony. */
  | 'UNKNOWN_REGION'
  /** Someone else changed the cooperation since you read it: reload it and apply your change to the current version. */
  | 'VERSION_CONFLICT';

/** What kind of cooperation a network of regions is. */
export type CooperationKind =
  /** Counties cooperating as a region across county borders. */
  | 'CROSS_COUNTY_REGION'
  /** Municipalities or Samtgemeinden cooperating on shared tasks (interkommunale Kooperation). */
  | 'INTER_MUNICIPAL'
  /** A LEADER or ILE region of rural development. */
  | 'LEADER_ILE_REGION'
  /** A metropolitan region or network of many counties. */
  | 'METROPOLITAN_REGION'
  /** Any other cooperation, e.g. a thematic network. */
  | 'OTHER'
  /** A Zukunftsregion of the state programme of regional development. */
  | 'ZUKUNFTSREGION';

/** A region joining a cooperation. */
export type CooperationMemberInput = {
  /** ARS code of a region of Lower Saxony. */
  regionCode: string | number;
  /** Lead or ordinary member. */
  role?: MembershipRole | null | undefined;
  /** First day of the membership, 1946–2100; not before the cooperation's founding day nor after its dissolvedOn. */
  validFrom: string;
  /** Last day, if already known, 1946–2100; not after the cooperation's dissolvedOn. Left out for a dissolved cooperation, the membership ends on its dissolvedOn. */
  validUntil?: string | null | undefined;
};

/** Lifecycle of a cooperation. */
export type CooperationStatus =
  /** Founded and working. */
  | 'ACTIVE'
  /** Ended; `dissolvedOn` says when. */
  | 'DISSOLVED'
  /** Agreed on but not founded yet. */
  | 'PLANNED';

/** A new cooperation with its first members. */
export type CreateCooperationInput = {
  /** Contact address. */
  contact?: string | null | undefined;
  /** What it does, up to 5000 characters. */
  description?: string | null | undefined;
  /** Last day, 1946–2100; only for DISSOLVED. No member starts or ends after it; a member without validUntil ends on it. */
  dissolvedOn?: string | null | undefined;
  /** Founding day, 1946–2100; required unless PLANNED, and none while PLANNED. No member starts before it. */
  founded?: string | null | undefined;
  /** What kind of cooperation it is. */
  kind: CooperationKind;
  /** The members, 1–500. */
  members: Array<CooperationMemberInput>;
  /** Name, 1–200 characters. */
  name: string;
  /** Lifecycle status. */
  status?: CooperationStatus | null | undefined;
  /** Website, an http(s) URL. */
  website?: string | null | undefined;
};

/** A new project. Its district is the lead region’s ArL district; a district-bound editor may only create projects there. */
export type CreateProjectInput = {
  /** The carrying cooperation (id in the cooperations subgraph, which is asked whether it exists and when it was founded: NOT_FOUND if it does not exist, OUT_OF_RANGE if the project would start before its founding day, REFERENCE_CHECK_UNAVAILABLE if it does not answer). */
  cooperationId?: string | number | null | undefined;
  /** Links to documents, at most 50. */
  documents?: Array<ProjectDocumentInput> | null | undefined;
  /** When it ends (not before startDate); omit while open. */
  endDate?: string | null | undefined;
  /** Transferable findings, at most 50. */
  findings?: Array<ProjectFindingInput> | null | undefined;
  /** Codes of the indicators the project aims to move, at most 50, each once; the indicators subgraph is asked whether they exist, as for cooperationId. */
  indicatorCodes?: Array<string | number> | null | undefined;
  /** Study, model project or other. */
  kind: ProjectKind;
  /** The regions involved, exactly one of them LEAD. */
  regions: Array<ProjectRegionInput>;
  /** Where the record comes from, at most 2000 characters; defaults to the editor’s role and ArL office, never their name (the source is public). */
  source?: string | null | undefined;
  /** When the project starts. */
  startDate: string;
  /** The starting status (default PLANNED). */
  status?: ProjectStatus | null | undefined;
  /** What the project does and why. */
  summary: string;
  /** The title. */
  title: string;
  /** At least one theme. */
  topics: Array<ProjectTopic>;
};

/** The part a member region plays in a cooperation. */
export type MembershipRole =
  /** Leads or hosts the cooperation (federführend). */
  | 'LEAD'
  /** An ordinary member. */
  | 'MEMBER';

/** What kind of body a member that is not a member region is. */
export type OtherMemberKind =
  /** Another organisation: a foundation, an association, an existing cooperation. */
  | 'ASSOCIATION'
  /** A company (GmbH, AG), e.g. one hosting the regional management. */
  | 'COMPANY'
  /** A municipality named as a partner beside its county (e.g. Stadt Hildesheim). */
  | 'MUNICIPALITY'
  /** A public administration or association of public bodies (e.g. a biosphere reserve administration). */
  | 'PUBLIC_BODY';

/** The kinds of record in the change feed of projects and their funding. */
export type ProjectChangeEntity =
  /** A funding commitment (key: the funding id); its project changes with it. */
  | 'FUNDING'
  /** A project with its regions, findings, documents and indicators (key: the project id). */
  | 'PROJECT';

/** A link to a project document. */
export type ProjectDocumentInput = {
  /** The title. */
  title: string;
  /** An http(s) URL of at most 2000 characters, without spaces, control or invisible characters (percent-encode them, e.g. a space as %20); spaces around it are dropped. */
  url: string;
};

/** A transferable finding. */
export type ProjectFindingInput = {
  /** The finding. */
  text: string;
  /** Its theme. */
  topic: ProjectTopic;
};

/** Why an input of a project mutation was refused. */
export type ProjectInputErrorCode =
  /** The value is malformed or inconsistent. */
  | 'INVALID'
  /** The project cannot move from its current status to the requested one. */
  | 'INVALID_TRANSITION'
  /** The record to change, or one the input links to (a cooperation, an indicator), does not exist. */
  | 'NOT_FOUND'
  /** The value lies outside the allowed range (e.g. a negative amount, an end before the start). */
  | 'OUT_OF_RANGE'
  /** A required value is missing or empty. */
  | 'REQUIRED'
  /** The programme code is not a funding programme. */
  | 'UNKNOWN_PROGRAMME'
  /** The region code is not a region of Lower Saxony. */
  | 'UNKNOWN_REGION'
  /** Someone else changed the project since you read it: reload it and apply your change to the current version. */
  | 'VERSION_CONFLICT';

/** What kind of project it is. */
export type ProjectKind =
  /** A model project (Modellvorhaben) testing a forward-looking solution, evaluated for transfer. */
  | 'MODEL_PROJECT'
  /** Any other project of regional development. */
  | 'OTHER'
  /** A study commissioned where knowledge is missing. */
  | 'STUDY';

/** A region taking part in a project. */
export type ProjectRegionInput = {
  /** The region’s ARS code (district, county, Samtgemeinde or municipality). */
  regionCode: string | number;
  /** Its role; exactly one region is LEAD. */
  role: ProjectRegionRole;
};

/** The part a region plays in a project. */
export type ProjectRegionRole =
  /** Benefits from the project without carrying it. */
  | 'BENEFICIARY'
  /** Leads the project; funding is attributed to the lead region. Every project has exactly one. */
  | 'LEAD'
  /** Takes part in carrying out the project. */
  | 'PARTNER';

/** Where a project stands. PLANNED → RUNNING → COMPLETED; PLANNED or RUNNING → CANCELLED. */
export type ProjectStatus =
  /** Stopped before completion. */
  | 'CANCELLED'
  /** Finished; its findings are final. */
  | 'COMPLETED'
  /** Decided or applied for, not started. */
  | 'PLANNED'
  /** Under way. */
  | 'RUNNING';

/** Themes of regional development; the same themes the indicators are grouped by. */
export type ProjectTopic =
  /** Population development and demographic change. */
  | 'DEMOGRAPHY'
  /** Economy and business development. */
  | 'ECONOMY'
  /** Schools, childcare and further education. */
  | 'EDUCATION'
  /** Environment, climate and energy. */
  | 'ENVIRONMENT'
  /** Labour market and skilled workers. */
  | 'LABOUR_MARKET'
  /** Medical care and nursing. */
  | 'MEDICAL_CARE'
  /** Mobility and transport. */
  | 'MOBILITY'
  /** Local supply and retail. */
  | 'RETAIL';

/** Levels of the administrative hierarchy of Lower Saxony, from the top. */
export type RegionLevel =
  /** A Landkreis, the Region Hannover or a kreisfreie Stadt (NUTS-3). */
  | 'COUNTY'
  /** The area of an Amt für regionale Landesentwicklung (031–034; the former Regierungsbezirke, NUTS-2). */
  | 'DISTRICT'
  /** A municipality (Gemeinde or Stadt), including gemeindefreie Gebiete. */
  | 'MUNICIPALITY'
  /** A Samtgemeinde, an association of member municipalities. */
  | 'MUNICIPAL_ASSOCIATION'
  /** The state of Lower Saxony (ARS 03). */
  | 'STATE';

/** Changes to a cooperation; omitted fields keep their value, null clears an optional one. */
export type UpdateCooperationInput = {
  /** Contact address. */
  contact?: string | null | undefined;
  /** What it does, up to 5000 characters. */
  description?: string | null | undefined;
  /** Last day, 1946–2100; only for DISSOLVED. Not before the first day of any membership; memberships still running on it (open, or ending later) end on it. */
  dissolvedOn?: string | null | undefined;
  /** The version you read; a different current version is a VERSION_CONFLICT. */
  expectedVersion: number;
  /** Founding day, 1946–2100; none while PLANNED. Not after the first day of any membership, nor after the start of any project the cooperation carries. */
  founded?: string | null | undefined;
  /** The cooperation. */
  id: string | number;
  /** What kind of cooperation it is. */
  kind?: CooperationKind | null | undefined;
  /** Name, 1–200 characters. */
  name?: string | null | undefined;
  /** Lifecycle status. */
  status?: CooperationStatus | null | undefined;
  /** Website, an http(s) URL. */
  website?: string | null | undefined;
};

/** Changes to a project: omitted fields stay as they are; given lists replace the stored ones entirely. */
export type UpdateProjectInput = {
  /** True to detach the project from its cooperation. */
  clearCooperation?: boolean | null | undefined;
  /** True to make the end open again. */
  clearEndDate?: boolean | null | undefined;
  /** A new carrying cooperation; checked as in CreateProjectInput. */
  cooperationId?: string | number | null | undefined;
  /** The new document links, at most 50. */
  documents?: Array<ProjectDocumentInput> | null | undefined;
  /** A new end date. */
  endDate?: string | null | undefined;
  /** The version you read; a stale version is refused with VERSION_CONFLICT. */
  expectedVersion: number;
  /** The new findings, at most 50. */
  findings?: Array<ProjectFindingInput> | null | undefined;
  /** The project to change. */
  id: string | number;
  /** The new indicator codes, at most 50, each once; codes not yet stored are checked as in CreateProjectInput. */
  indicatorCodes?: Array<string | number> | null | undefined;
  /** A new kind. */
  kind?: ProjectKind | null | undefined;
  /** The new set of regions (exactly one LEAD). */
  regions?: Array<ProjectRegionInput> | null | undefined;
  /** A new start date. Every region must exist on it (OUT_OF_RANGE); an earlier one than stored is checked against the founding day of the carrying cooperation, as in CreateProjectInput. */
  startDate?: string | null | undefined;
  /** A new summary. */
  summary?: string | null | undefined;
  /** A new title, at most 300 characters. A synthetic project keeps its label: " (synthetic)" is appended unless the title already ends in "(synthetic)", and counts within the 300. */
  title?: string | null | undefined;
  /** New themes. */
  topics?: Array<ProjectTopic> | null | undefined;
};

export type ProjectChangesQueryVariables = Exact<{
  after?: string | null | undefined;
  first: number;
}>;


export type ProjectChangesQuery = { projectChanges: { endCursor: string, hasMore: boolean, changes: Array<{ cursor: string, entityType: ProjectChangeEntity, key: string, operation: ChangeOperation, version: number | null, changedAt: string, actor: string | null }> } };

export type CooperationChangesQueryVariables = Exact<{
  after?: string | null | undefined;
  first: number;
}>;


export type CooperationChangesQuery = { cooperationChanges: { endCursor: string, hasMore: boolean, changes: Array<{ cursor: string, entityType: CooperationChangeEntity, key: string, operation: ChangeOperation, version: number | null, changedAt: string, actor: string | null }> } };

export type ProjectAuditTrailQueryVariables = Exact<{
  actor?: string | null | undefined;
  key?: string | number | null | undefined;
  after?: string | null | undefined;
  first: number;
}>;


export type ProjectAuditTrailQuery = { projectAuditTrail: { endCursor: string, hasMore: boolean, entries: Array<{ cursor: string, entityType: ProjectChangeEntity, key: string, operation: ChangeOperation, version: number | null, changedAt: string, actor: string, changes: Array<{ field: string, oldValue: unknown, newValue: unknown }> }> } };

export type CooperationAuditTrailQueryVariables = Exact<{
  actor?: string | null | undefined;
  key?: string | number | null | undefined;
  after?: string | null | undefined;
  first: number;
}>;


export type CooperationAuditTrailQuery = { cooperationAuditTrail: { endCursor: string, hasMore: boolean, entries: Array<{ cursor: string, entityType: CooperationChangeEntity, key: string, operation: ChangeOperation, version: number | null, changedAt: string, actor: string, changes: Array<{ field: string, oldValue: unknown, newValue: unknown }> }> } };

export type CooperationsPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type CooperationsPageQuery = { cooperations: { nodes: Array<{ id: string, version: number, updatedAt: string, name: string, kind: CooperationKind, description: string, founded: string | null, dissolvedOn: string | null, status: CooperationStatus, contact: string | null, website: string | null, synthetic: boolean, source: string, leadPartner: string | null, unmappedMembers: string | null, membersComplete: boolean, fieldsOfAction: Array<string>, fieldsOfActionComplete: boolean, budgetAsStated: string | null, budgetEuros: number | null, recognisedOn: string | null, recognitionNote: string | null, otherMembers: Array<{ name: string, kind: OtherMemberKind, regionCode: string | null }>, actors: Array<{ id: string, sector: ActorSector, name: string, description: string | null, synthetic: boolean }>, members: Array<{ id: string, regionCode: string, level: RegionLevel, role: MembershipRole, validFrom: string, validUntil: string | null }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CooperationByKeyQueryVariables = Exact<{
  id: string | number;
}>;


export type CooperationByKeyQuery = { cooperation: { id: string, version: number, updatedAt: string, name: string, kind: CooperationKind, description: string, founded: string | null, dissolvedOn: string | null, status: CooperationStatus, contact: string | null, website: string | null, synthetic: boolean, source: string, leadPartner: string | null, unmappedMembers: string | null, membersComplete: boolean, fieldsOfAction: Array<string>, fieldsOfActionComplete: boolean, budgetAsStated: string | null, budgetEuros: number | null, recognisedOn: string | null, recognitionNote: string | null, otherMembers: Array<{ name: string, kind: OtherMemberKind, regionCode: string | null }>, actors: Array<{ id: string, sector: ActorSector, name: string, description: string | null, synthetic: boolean }>, members: Array<{ id: string, regionCode: string, level: RegionLevel, role: MembershipRole, validFrom: string, validUntil: string | null }> } | null };

export type CreateProjectMutationVariables = Exact<{
  input: CreateProjectInput;
  idempotencyKey?: string | null | undefined;
}>;


export type CreateProjectMutation = { createProject: { project: { id: string, version: number, updatedAt: string, title: string, summary: string, kind: ProjectKind, status: ProjectStatus, topics: Array<ProjectTopic>, startDate: string, endDate: string | null, districtCode: string, leadRegionCode: string | null, indicatorCodes: Array<string>, totalFundingCents: string, synthetic: boolean, source: string, regions: Array<{ role: ProjectRegionRole, region: { code: string } }>, cooperation: { id: string } | null, findings: Array<{ text: string, topic: ProjectTopic }>, documents: Array<{ title: string, url: string }>, funding: Array<{ id: string, amountCents: string, coFinancingShare: number, commitmentYear: number, programme: { code: string } }> } | null, errors: Array<{ field: string, message: string, code: ProjectInputErrorCode }> } };

export type UpdateProjectMutationVariables = Exact<{
  input: UpdateProjectInput;
  idempotencyKey?: string | null | undefined;
}>;


export type UpdateProjectMutation = { updateProject: { project: { id: string, version: number, updatedAt: string, title: string, summary: string, kind: ProjectKind, status: ProjectStatus, topics: Array<ProjectTopic>, startDate: string, endDate: string | null, districtCode: string, leadRegionCode: string | null, indicatorCodes: Array<string>, totalFundingCents: string, synthetic: boolean, source: string, regions: Array<{ role: ProjectRegionRole, region: { code: string } }>, cooperation: { id: string } | null, findings: Array<{ text: string, topic: ProjectTopic }>, documents: Array<{ title: string, url: string }>, funding: Array<{ id: string, amountCents: string, coFinancingShare: number, commitmentYear: number, programme: { code: string } }> } | null, errors: Array<{ field: string, message: string, code: ProjectInputErrorCode }> } };

export type CreateCooperationMutationVariables = Exact<{
  input: CreateCooperationInput;
  idempotencyKey?: string | null | undefined;
}>;


export type CreateCooperationMutation = { createCooperation: { cooperation: { id: string, version: number, updatedAt: string, name: string, kind: CooperationKind, description: string, founded: string | null, dissolvedOn: string | null, status: CooperationStatus, contact: string | null, website: string | null, synthetic: boolean, source: string, leadPartner: string | null, unmappedMembers: string | null, membersComplete: boolean, fieldsOfAction: Array<string>, fieldsOfActionComplete: boolean, budgetAsStated: string | null, budgetEuros: number | null, recognisedOn: string | null, recognitionNote: string | null, otherMembers: Array<{ name: string, kind: OtherMemberKind, regionCode: string | null }>, actors: Array<{ id: string, sector: ActorSector, name: string, description: string | null, synthetic: boolean }>, members: Array<{ id: string, regionCode: string, level: RegionLevel, role: MembershipRole, validFrom: string, validUntil: string | null }> } | null, errors: Array<{ field: string, message: string, code: CooperationInputErrorCode }> } };

export type UpdateCooperationMutationVariables = Exact<{
  input: UpdateCooperationInput;
  idempotencyKey?: string | null | undefined;
}>;


export type UpdateCooperationMutation = { updateCooperation: { cooperation: { id: string, version: number, updatedAt: string, name: string, kind: CooperationKind, description: string, founded: string | null, dissolvedOn: string | null, status: CooperationStatus, contact: string | null, website: string | null, synthetic: boolean, source: string, leadPartner: string | null, unmappedMembers: string | null, membersComplete: boolean, fieldsOfAction: Array<string>, fieldsOfActionComplete: boolean, budgetAsStated: string | null, budgetEuros: number | null, recognisedOn: string | null, recognitionNote: string | null, otherMembers: Array<{ name: string, kind: OtherMemberKind, regionCode: string | null }>, actors: Array<{ id: string, sector: ActorSector, name: string, description: string | null, synthetic: boolean }>, members: Array<{ id: string, regionCode: string, level: RegionLevel, role: MembershipRole, validFrom: string, validUntil: string | null }> } | null, errors: Array<{ field: string, message: string, code: CooperationInputErrorCode }> } };

export type DeleteProjectMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  idempotencyKey?: string | null | undefined;
}>;


export type DeleteProjectMutation = { deleteProject: { project: { id: string, version: number } | null, errors: Array<{ field: string, message: string, code: ProjectInputErrorCode }> } };

export type DeleteCooperationMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  idempotencyKey?: string | null | undefined;
}>;


export type DeleteCooperationMutation = { deleteCooperation: { cooperation: { id: string, version: number } | null, errors: Array<{ field: string, message: string, code: CooperationInputErrorCode }> } };

export type ProjectsPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type ProjectsPageQuery = { projects: { nodes: Array<{ id: string, version: number, updatedAt: string, title: string, summary: string, kind: ProjectKind, status: ProjectStatus, topics: Array<ProjectTopic>, startDate: string, endDate: string | null, districtCode: string, leadRegionCode: string | null, indicatorCodes: Array<string>, totalFundingCents: string, synthetic: boolean, source: string, regions: Array<{ role: ProjectRegionRole, region: { code: string } }>, cooperation: { id: string } | null, findings: Array<{ text: string, topic: ProjectTopic }>, documents: Array<{ title: string, url: string }>, funding: Array<{ id: string, amountCents: string, coFinancingShare: number, commitmentYear: number, programme: { code: string } }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ProjectByKeyQueryVariables = Exact<{
  id: string | number;
}>;


export type ProjectByKeyQuery = { project: { id: string, version: number, updatedAt: string, title: string, summary: string, kind: ProjectKind, status: ProjectStatus, topics: Array<ProjectTopic>, startDate: string, endDate: string | null, districtCode: string, leadRegionCode: string | null, indicatorCodes: Array<string>, totalFundingCents: string, synthetic: boolean, source: string, regions: Array<{ role: ProjectRegionRole, region: { code: string } }>, cooperation: { id: string } | null, findings: Array<{ text: string, topic: ProjectTopic }>, documents: Array<{ title: string, url: string }>, funding: Array<{ id: string, amountCents: string, coFinancingShare: number, commitmentYear: number, programme: { code: string } }> } | null };

export type ProjectRecordFragment = { id: string, version: number, updatedAt: string, title: string, summary: string, kind: ProjectKind, status: ProjectStatus, topics: Array<ProjectTopic>, startDate: string, endDate: string | null, districtCode: string, leadRegionCode: string | null, indicatorCodes: Array<string>, totalFundingCents: string, synthetic: boolean, source: string, regions: Array<{ role: ProjectRegionRole, region: { code: string } }>, cooperation: { id: string } | null, findings: Array<{ text: string, topic: ProjectTopic }>, documents: Array<{ title: string, url: string }>, funding: Array<{ id: string, amountCents: string, coFinancingShare: number, commitmentYear: number, programme: { code: string } }> };

export type CooperationRecordFragment = { id: string, version: number, updatedAt: string, name: string, kind: CooperationKind, description: string, founded: string | null, dissolvedOn: string | null, status: CooperationStatus, contact: string | null, website: string | null, synthetic: boolean, source: string, leadPartner: string | null, unmappedMembers: string | null, membersComplete: boolean, fieldsOfAction: Array<string>, fieldsOfActionComplete: boolean, budgetAsStated: string | null, budgetEuros: number | null, recognisedOn: string | null, recognitionNote: string | null, otherMembers: Array<{ name: string, kind: OtherMemberKind, regionCode: string | null }>, actors: Array<{ id: string, sector: ActorSector, name: string, description: string | null, synthetic: boolean }>, members: Array<{ id: string, regionCode: string, level: RegionLevel, role: MembershipRole, validFrom: string, validUntil: string | null }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ProjectRecordFragmentDoc = new TypedDocumentString(`
    fragment ProjectRecord on Project {
  id
  version
  updatedAt
  title
  summary
  kind
  status
  topics
  startDate
  endDate
  districtCode
  leadRegionCode
  regions {
    role
    region {
      code
    }
  }
  cooperation {
    id
  }
  findings {
    text
    topic
  }
  documents {
    title
    url
  }
  indicatorCodes
  funding {
    id
    amountCents
    coFinancingShare
    commitmentYear
    programme {
      code
    }
  }
  totalFundingCents
  synthetic
  source
}
    `, {"fragmentName":"ProjectRecord"}) as unknown as TypedDocumentString<ProjectRecordFragment, unknown>;
export const CooperationRecordFragmentDoc = new TypedDocumentString(`
    fragment CooperationRecord on Cooperation {
  id
  version
  updatedAt
  name
  kind
  description
  founded
  dissolvedOn
  status
  contact
  website
  synthetic
  source
  leadPartner
  unmappedMembers
  membersComplete
  fieldsOfAction
  fieldsOfActionComplete
  budgetAsStated
  budgetEuros
  recognisedOn
  recognitionNote
  otherMembers {
    name
    kind
    regionCode
  }
  actors {
    id
    sector
    name
    description
    synthetic
  }
  members {
    id
    regionCode
    level
    role
    validFrom
    validUntil
  }
}
    `, {"fragmentName":"CooperationRecord"}) as unknown as TypedDocumentString<CooperationRecordFragment, unknown>;
export const ProjectChangesDocument = new TypedDocumentString(`
    query ProjectChanges($after: String, $first: Int!) {
  projectChanges(after: $after, types: [PROJECT], first: $first) {
    changes {
      cursor
      entityType
      key
      operation
      version
      changedAt
      actor
    }
    endCursor
    hasMore
  }
}
    `) as unknown as TypedDocumentString<ProjectChangesQuery, ProjectChangesQueryVariables>;
export const CooperationChangesDocument = new TypedDocumentString(`
    query CooperationChanges($after: String, $first: Int!) {
  cooperationChanges(after: $after, types: [COOPERATION], first: $first) {
    changes {
      cursor
      entityType
      key
      operation
      version
      changedAt
      actor
    }
    endCursor
    hasMore
  }
}
    `) as unknown as TypedDocumentString<CooperationChangesQuery, CooperationChangesQueryVariables>;
export const ProjectAuditTrailDocument = new TypedDocumentString(`
    query ProjectAuditTrail($actor: String, $key: ID, $after: String, $first: Int!) {
  projectAuditTrail(
    entityType: PROJECT
    actor: $actor
    key: $key
    after: $after
    first: $first
  ) {
    entries {
      cursor
      entityType
      key
      operation
      version
      changedAt
      actor
      changes {
        field
        oldValue
        newValue
      }
    }
    endCursor
    hasMore
  }
}
    `) as unknown as TypedDocumentString<ProjectAuditTrailQuery, ProjectAuditTrailQueryVariables>;
export const CooperationAuditTrailDocument = new TypedDocumentString(`
    query CooperationAuditTrail($actor: String, $key: ID, $after: String, $first: Int!) {
  cooperationAuditTrail(
    entityType: COOPERATION
    actor: $actor
    key: $key
    after: $after
    first: $first
  ) {
    entries {
      cursor
      entityType
      key
      operation
      version
      changedAt
      actor
      changes {
        field
        oldValue
        newValue
      }
    }
    endCursor
    hasMore
  }
}
    `) as unknown as TypedDocumentString<CooperationAuditTrailQuery, CooperationAuditTrailQueryVariables>;
export const CooperationsPageDocument = new TypedDocumentString(`
    query CooperationsPage($first: Int!, $after: String) {
  cooperations(first: $first, after: $after) {
    nodes {
      ...CooperationRecord
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment CooperationRecord on Cooperation {
  id
  version
  updatedAt
  name
  kind
  description
  founded
  dissolvedOn
  status
  contact
  website
  synthetic
  source
  leadPartner
  unmappedMembers
  membersComplete
  fieldsOfAction
  fieldsOfActionComplete
  budgetAsStated
  budgetEuros
  recognisedOn
  recognitionNote
  otherMembers {
    name
    kind
    regionCode
  }
  actors {
    id
    sector
    name
    description
    synthetic
  }
  members {
    id
    regionCode
    level
    role
    validFrom
    validUntil
  }
}`) as unknown as TypedDocumentString<CooperationsPageQuery, CooperationsPageQueryVariables>;
export const CooperationByKeyDocument = new TypedDocumentString(`
    query CooperationByKey($id: ID!) {
  cooperation(id: $id) {
    ...CooperationRecord
  }
}
    fragment CooperationRecord on Cooperation {
  id
  version
  updatedAt
  name
  kind
  description
  founded
  dissolvedOn
  status
  contact
  website
  synthetic
  source
  leadPartner
  unmappedMembers
  membersComplete
  fieldsOfAction
  fieldsOfActionComplete
  budgetAsStated
  budgetEuros
  recognisedOn
  recognitionNote
  otherMembers {
    name
    kind
    regionCode
  }
  actors {
    id
    sector
    name
    description
    synthetic
  }
  members {
    id
    regionCode
    level
    role
    validFrom
    validUntil
  }
}`) as unknown as TypedDocumentString<CooperationByKeyQuery, CooperationByKeyQueryVariables>;
export const CreateProjectDocument = new TypedDocumentString(`
    mutation CreateProject($input: CreateProjectInput!, $idempotencyKey: String) {
  createProject(input: $input, idempotencyKey: $idempotencyKey) {
    project {
      ...ProjectRecord
    }
    errors {
      field
      message
      code
    }
  }
}
    fragment ProjectRecord on Project {
  id
  version
  updatedAt
  title
  summary
  kind
  status
  topics
  startDate
  endDate
  districtCode
  leadRegionCode
  regions {
    role
    region {
      code
    }
  }
  cooperation {
    id
  }
  findings {
    text
    topic
  }
  documents {
    title
    url
  }
  indicatorCodes
  funding {
    id
    amountCents
    coFinancingShare
    commitmentYear
    programme {
      code
    }
  }
  totalFundingCents
  synthetic
  source
}`) as unknown as TypedDocumentString<CreateProjectMutation, CreateProjectMutationVariables>;
export const UpdateProjectDocument = new TypedDocumentString(`
    mutation UpdateProject($input: UpdateProjectInput!, $idempotencyKey: String) {
  updateProject(input: $input, idempotencyKey: $idempotencyKey) {
    project {
      ...ProjectRecord
    }
    errors {
      field
      message
      code
    }
  }
}
    fragment ProjectRecord on Project {
  id
  version
  updatedAt
  title
  summary
  kind
  status
  topics
  startDate
  endDate
  districtCode
  leadRegionCode
  regions {
    role
    region {
      code
    }
  }
  cooperation {
    id
  }
  findings {
    text
    topic
  }
  documents {
    title
    url
  }
  indicatorCodes
  funding {
    id
    amountCents
    coFinancingShare
    commitmentYear
    programme {
      code
    }
  }
  totalFundingCents
  synthetic
  source
}`) as unknown as TypedDocumentString<UpdateProjectMutation, UpdateProjectMutationVariables>;
export const CreateCooperationDocument = new TypedDocumentString(`
    mutation CreateCooperation($input: CreateCooperationInput!, $idempotencyKey: String) {
  createCooperation(input: $input, idempotencyKey: $idempotencyKey) {
    cooperation {
      ...CooperationRecord
    }
    errors {
      field
      message
      code
    }
  }
}
    fragment CooperationRecord on Cooperation {
  id
  version
  updatedAt
  name
  kind
  description
  founded
  dissolvedOn
  status
  contact
  website
  synthetic
  source
  leadPartner
  unmappedMembers
  membersComplete
  fieldsOfAction
  fieldsOfActionComplete
  budgetAsStated
  budgetEuros
  recognisedOn
  recognitionNote
  otherMembers {
    name
    kind
    regionCode
  }
  actors {
    id
    sector
    name
    description
    synthetic
  }
  members {
    id
    regionCode
    level
    role
    validFrom
    validUntil
  }
}`) as unknown as TypedDocumentString<CreateCooperationMutation, CreateCooperationMutationVariables>;
export const UpdateCooperationDocument = new TypedDocumentString(`
    mutation UpdateCooperation($input: UpdateCooperationInput!, $idempotencyKey: String) {
  updateCooperation(input: $input, idempotencyKey: $idempotencyKey) {
    cooperation {
      ...CooperationRecord
    }
    errors {
      field
      message
      code
    }
  }
}
    fragment CooperationRecord on Cooperation {
  id
  version
  updatedAt
  name
  kind
  description
  founded
  dissolvedOn
  status
  contact
  website
  synthetic
  source
  leadPartner
  unmappedMembers
  membersComplete
  fieldsOfAction
  fieldsOfActionComplete
  budgetAsStated
  budgetEuros
  recognisedOn
  recognitionNote
  otherMembers {
    name
    kind
    regionCode
  }
  actors {
    id
    sector
    name
    description
    synthetic
  }
  members {
    id
    regionCode
    level
    role
    validFrom
    validUntil
  }
}`) as unknown as TypedDocumentString<UpdateCooperationMutation, UpdateCooperationMutationVariables>;
export const DeleteProjectDocument = new TypedDocumentString(`
    mutation DeleteProject($id: ID!, $expectedVersion: Int!, $idempotencyKey: String) {
  deleteProject(
    id: $id
    expectedVersion: $expectedVersion
    idempotencyKey: $idempotencyKey
  ) {
    project {
      id
      version
    }
    errors {
      field
      message
      code
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteProjectMutation, DeleteProjectMutationVariables>;
export const DeleteCooperationDocument = new TypedDocumentString(`
    mutation DeleteCooperation($id: ID!, $expectedVersion: Int!, $idempotencyKey: String) {
  deleteCooperation(
    id: $id
    expectedVersion: $expectedVersion
    idempotencyKey: $idempotencyKey
  ) {
    cooperation {
      id
      version
    }
    errors {
      field
      message
      code
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteCooperationMutation, DeleteCooperationMutationVariables>;
export const ProjectsPageDocument = new TypedDocumentString(`
    query ProjectsPage($first: Int!, $after: String) {
  projects(orderBy: ID_ASC, first: $first, after: $after) {
    nodes {
      ...ProjectRecord
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment ProjectRecord on Project {
  id
  version
  updatedAt
  title
  summary
  kind
  status
  topics
  startDate
  endDate
  districtCode
  leadRegionCode
  regions {
    role
    region {
      code
    }
  }
  cooperation {
    id
  }
  findings {
    text
    topic
  }
  documents {
    title
    url
  }
  indicatorCodes
  funding {
    id
    amountCents
    coFinancingShare
    commitmentYear
    programme {
      code
    }
  }
  totalFundingCents
  synthetic
  source
}`) as unknown as TypedDocumentString<ProjectsPageQuery, ProjectsPageQueryVariables>;
export const ProjectByKeyDocument = new TypedDocumentString(`
    query ProjectByKey($id: ID!) {
  project(id: $id) {
    ...ProjectRecord
  }
}
    fragment ProjectRecord on Project {
  id
  version
  updatedAt
  title
  summary
  kind
  status
  topics
  startDate
  endDate
  districtCode
  leadRegionCode
  regions {
    role
    region {
      code
    }
  }
  cooperation {
    id
  }
  findings {
    text
    topic
  }
  documents {
    title
    url
  }
  indicatorCodes
  funding {
    id
    amountCents
    coFinancingShare
    commitmentYear
    programme {
      code
    }
  }
  totalFundingCents
  synthetic
  source
}`) as unknown as TypedDocumentString<ProjectByKeyQuery, ProjectByKeyQueryVariables>;