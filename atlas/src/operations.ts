import { graphql } from './generated';

// One operation per view: each view costs exactly one GraphQL request. The gateway registers these
// documents (by their sha256) at start, so the Atlas sends only the hash.
// The texts the API writes itself (methods, RegioGraph's attributions) are asked for in German
// (`language: DE`), the page's language; the providers' attributions come as the providers give them.

// What the controls offer (indicators, the chosen one's years, the counties), in every view's one
// request: a link to the table or the comparison must not leave them empty.
export const AtlasCatalogueDocument = graphql(`
  fragment AtlasCatalogue on Query {
    indicators { code name unit theme levels firstYear lastYear aggregation }
    state: region(code: "03") { counties: descendants(level: COUNTY) { code name officialType } }
    indicator(code: $indicator) { code name years }
  }
`);

export const AtlasMapDocument = graphql(`
  query AtlasMap($indicator: ID!, $year: Int!, $area: ID!, $level: RegionLevel!, $rankWithin: ID, $simplify: Float) {
    ...AtlasCatalogue
    # The boundaries' attribution, linked to their provider, as the map shows it.
    state: region(code: "03") { source { attribution url } }
    indicator(code: $indicator) {
      code
      name
      unit
      decimals
      polarity
      attribution(language: DE)
      years
      synthetic
      source { publisher(language: DE) licence referencePeriod }
    }
    area: region(code: $area) {
      code
      name
      regions: descendants(level: $level) {
        code
        name
        officialType
        boundary(simplify: $simplify)
        value(indicator: $indicator, year: $year) { year value status missingReason(language: DE) aggregated }
      }
    }
    ranking(indicator: $indicator, year: $year, level: $level, withinParent: $rankWithin) {
      entries { regionCode rank of percentile }
    }
  }
`);

export const AtlasProfileDocument = graphql(`
  query AtlasProfile($code: ID!, $indicators: [ID!]!, $indicator: ID!, $year: Int!) {
    region(code: $code) {
      code
      name
      officialType
      level
      values(indicators: $indicators) { indicatorCode year value aggregated }
      parent { code name officialType values(indicators: $indicators) { indicatorCode year value aggregated } }
      # The county, which a Samtgemeinde's member municipality is compared with beside its Samtgemeinde
      # (the parent): the one region above that the page compares, not all ancestors with their series
      # (up to four, each priced with its values). A county's county is itself, and the state has none.
      county { code name officialType level values(indicators: $indicators) { indicatorCode year value aggregated } }
      rank(indicator: $indicator, year: $year) { rank of percentile value }
      # Each record's attribution, shown beneath its list as the indicators' are beneath their charts.
      # The list shows each project's total, not its commitments: no funding list per project (priced
      # as 25 commitments with their programmes under each of 25 projects, 1,250 of the page's points).
      projects { id title status startDate endDate totalFundingCents synthetic attribution(language: DE) }
      cooperations { id name kind attribution(language: DE) }
      office { name seat attribution(language: DE) }
      # Strukturähnliche Regionen: the default profile in the profile's year. The names of the
      # indicators contributing come from the catalogue below (no entity fetch per contribution).
      similarRegions(year: $year, first: 5) {
        syntheticInputs
        method(language: DE)
        omittedIndicators { code name }
        regions { rank regionCode distance comparedIndicators region { code name officialType } contributions { indicatorCode share } }
      }
    }
    state: region(code: "03") { code name officialType values(indicators: $indicators) { indicatorCode year value aggregated } }
    chosen: indicators { code name unit decimals attribution(language: DE) synthetic aggregation }
  }
`);

export const AtlasCompareDocument = graphql(`
  query AtlasCompare($codes: [ID!]!, $indicator: ID!) {
    ...AtlasCatalogue
    indicator(code: $indicator) { code name unit decimals attribution(language: DE) synthetic }
    regionsByCodes(codes: $codes) { code name values(indicators: [$indicator]) { year value aggregated } }
  }
`);

export const AtlasTableDocument = graphql(`
  query AtlasTable($indicator: ID!, $indicators: [ID!]!, $level: RegionLevel!, $area: ID!, $fromYear: Int, $toYear: Int) {
    ...AtlasCatalogue
    observationTable(indicators: $indicators, regions: { level: $level, parentCode: $area }, fromYear: $fromYear, toYear: $toYear) {
      indicators { code name unit decimals attribution(language: DE) synthetic }
      regions { code name }
      rows { regionCode year values cells { aggregated } }
    }
  }
`);

export const AtlasEqualDocument = graphql(`
  query AtlasEqual(
    $indicator: ID!
    $indicators: [ID!]
    $level: RegionLevel!
    $year: Int
    $withinParent: ID
    $weightYears: DisparityWeightYear! = SAME_YEAR
    $simplify: Float
  ) {
    ...AtlasCatalogue
    # The boundaries' attribution, linked to their provider, as the map shows it.
    state: region(code: "03") { source { attribution url } }
    disparities(indicators: $indicators, level: $level, year: $year, withinParent: $withinParent, weightYears: $weightYears) {
      level
      year
      method(language: DE)
      usedDefaultProfile
      syntheticInputs
      withinParent { code name }
      indicators {
        reference
        referenceIsStateObservation
        coefficientOfVariation
        gini
        theil
        # Why a measure is missing, as the API knows it: the page guesses nothing.
        unmeasurableReason
        # The weighted measures beside them, with the weight, its year and their n.
        weightIndicatorCode
        weightYear
        weightedRegionCount
        weightedCoefficientOfVariation
        weightedGini
        weightedTheil
        weightedUnmeasurableReason
        # Where the disparity lies, between the groups or within them: the parts only, a point each. The
        # groups are asked for when the reader opens an indicator's (AtlasEqualTheil): here they would
        # price 45 groups with their region per decomposition, nearly doubling the counties' report.
        theilDecomposition { groupLevel between within betweenShare }
        weightedTheilDecomposition: theilDecomposition(weighted: true) { between within betweenShare }
        indicator {
          indicatorCode
          year
          # The n of the measures and how many of those values were computed.
          regionCount
          aggregatedRegionCount
          stateValue
          stateValueAggregated
          synthetic
          indicator { code name unit decimals polarity attribution(language: DE) synthetic source { publisher(language: DE) licence } }
        }
      }
      omittedIndicators { code name }
      rankedRegions
      regions {
        regionCode
        rankFromWeakest
        compositeIndex
        weakestFifthCount
        region { code name officialType boundary(simplify: $simplify) }
        scores { indicatorCode year value adjustedZScore inWeakestFifth }
      }
      csv(language: DE)
    }
  }
`);

/**
 * The groups of one indicator's Theil decomposition, asked for when the reader opens them: the report
 * of that one indicator, as the view's report reads it (same level, year, area and weights), unweighted
 * and weighted. The indicators subgraph computes them from the values it reads for the report.
 */
export const AtlasEqualTheilDocument = graphql(`
  query AtlasEqualTheil($indicator: ID!, $level: RegionLevel!, $year: Int, $withinParent: ID, $weightYears: DisparityWeightYear! = SAME_YEAR) {
    disparities(indicators: [$indicator], level: $level, year: $year, withinParent: $withinParent, weightYears: $weightYears) {
      indicators {
        indicator { indicatorCode year }
        weightYear
        theilDecomposition { groupLevel groups { region { code name officialType } regionCount mean totalShare theil } }
        weightedTheilDecomposition: theilDecomposition(weighted: true) {
          groupLevel
          groups { region { code name officialType } regionCount mean totalShare theil }
        }
      }
    }
  }
`);

/**
 * The equal-chances report's file for Excel with German settings (";", decimal comma, byte order
 * mark), asked for when its button is clicked: few download it, and with the page's request every
 * visit would carry the report's CSV twice.
 */
export const AtlasEqualExcelDocument = graphql(`
  query AtlasEqualExcel($indicators: [ID!], $level: RegionLevel!, $year: Int, $withinParent: ID) {
    disparities(indicators: $indicators, level: $level, year: $year, withinParent: $withinParent) {
      csv(language: DE, dialect: EXCEL_DE)
    }
  }
`);

// The search field's way to any region of the state by name, beyond the map's: the API folds case,
// umlauts, ß, hyphens and full stops. One more than shown, to know that there are more. The ancestors
// tell apart regions of the same name (five municipalities are called Neuenkirchen).
// When the name matches none, the names near it ("Buckeburg": Bückeburg) are offered instead.
export const AtlasSearchDocument = graphql(`
  query AtlasSearch($search: String!) {
    regions(filter: { search: $search }, first: 21) {
      nodes { code name officialType level ancestors { code name officialType level } }
    }
    suggestions: regionNameSuggestions(search: $search, first: 10) { code name officialType level ancestors { code name officialType level } }
  }
`);
