/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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

/** Quality flag of an observation. A missing value is null with a reason, never 0. */
export type ObservationStatus =
  /** Estimated value. */
  | 'ESTIMATED'
  /** Final value. */
  | 'FINAL'
  /** Not available: value is null, missingReason says why. */
  | 'MISSING'
  /** Provisional value, may still be revised. */
  | 'PROVISIONAL'
  /** Withheld for confidentiality: value is null, missingReason says why. */
  | 'SUPPRESSED';

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

export type SteckbriefQueryVariables = Exact<{
  code: string | number;
  indicators: Array<string | number> | string | number;
}>;


export type SteckbriefQuery = { region: { code: string, name: string, officialType: string, level: RegionLevel, county: { code: string, name: string, officialType: string } | null, source: { attribution: string, url: string }, population: { indicatorCode: string, year: number, value: number | null, status: ObservationStatus, aggregated: boolean, attribution: string, indicator: { name: string, unit: string, decimals: number, synthetic: boolean, attribution: string, source: { licence: string, url: string | null } } } | null, values: Array<{ indicatorCode: string, year: number, value: number | null, status: ObservationStatus, aggregated: boolean, attribution: string, indicator: { name: string, unit: string, decimals: number, synthetic: boolean, attribution: string, source: { licence: string, url: string | null } } }> | null, cooperations: Array<{ id: string, name: string, kind: CooperationKind, synthetic: boolean, attribution: string }> | null, projects: Array<{ id: string, title: string, status: ProjectStatus, synthetic: boolean, attribution: string }> | null } | null };

export type SteckbriefValueFragment = { indicatorCode: string, year: number, value: number | null, status: ObservationStatus, aggregated: boolean, attribution: string, indicator: { name: string, unit: string, decimals: number, synthetic: boolean, attribution: string, source: { licence: string, url: string | null } } };

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
export const SteckbriefValueFragmentDoc = new TypedDocumentString(`
    fragment SteckbriefValue on Observation {
  indicatorCode
  year
  value
  status
  aggregated
  attribution
  indicator {
    name
    unit
    decimals
    synthetic
    attribution
    source {
      licence
      url
    }
  }
}
    `, {"fragmentName":"SteckbriefValue"}) as unknown as TypedDocumentString<SteckbriefValueFragment, unknown>;
export const SteckbriefDocument = new TypedDocumentString(`
    query Steckbrief($code: ID!, $indicators: [ID!]!) {
  region(code: $code) {
    code
    name
    officialType
    level
    county {
      code
      name
      officialType
    }
    source {
      attribution
      url
    }
    population: value(indicator: "population") {
      ...SteckbriefValue
    }
    values(indicators: $indicators, latest: true) {
      ...SteckbriefValue
    }
    cooperations(through: ALL) {
      id
      name
      kind
      synthetic
      attribution
    }
    projects {
      id
      title
      status
      synthetic
      attribution
    }
  }
}
    fragment SteckbriefValue on Observation {
  indicatorCode
  year
  value
  status
  aggregated
  attribution
  indicator {
    name
    unit
    decimals
    synthetic
    attribution
    source {
      licence
      url
    }
  }
}`, {"hash":"sha256:63c913555ab910b0c72d9befd9cd2f667c156369d67b4c3f9ce8db7dbde5eb8c"}) as unknown as TypedDocumentString<SteckbriefQuery, SteckbriefQueryVariables>;