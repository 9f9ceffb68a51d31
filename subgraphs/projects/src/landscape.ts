import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FundingLevel, ProjectTopic } from '@regiograph/db';
import { parseCsvRecords, type CooperationCopy, type CooperationsCopyFile } from '@regiograph/shared';
import { DATA_DIR } from './region-catalogue';

let cooperationsCache: CooperationCopy[] | null = null;

/** The copy of the seeded cooperations: this subgraph never reads the cooperations' tables. */
export function cooperationCopies(): CooperationCopy[] {
  cooperationsCache ??= (JSON.parse(readFileSync(path.join(DATA_DIR, 'cooperations.json'), 'utf8')) as CooperationsCopyFile).cooperations;
  return cooperationsCache;
}

/**
 * Which project topics fit a field of action (Handlungsfeld). The fields are the real ones of the
 * Zukunftsregionen programme and of the regional strategies; a project carried by a cooperation
 * has only topics that fit one of the cooperation's fields.
 */
export const FIELD_TOPICS: Record<string, ProjectTopic[]> = {
  'Regionale Innovationsfähigkeit': ['ECONOMY', 'EDUCATION'],
  'CO2-arme Gesellschaft und Kreislaufwirtschaft': ['ENVIRONMENT', 'MOBILITY'],
  'Biologische Vielfalt und funktionierende Naturräume': ['ENVIRONMENT'],
  'Wandel der Arbeitswelt, Chancengleichheit und gesellschaftliche Teilhabe': ['LABOUR_MARKET', 'EDUCATION', 'DEMOGRAPHY'],
  'Gesundheitsversorgung und Pflege': ['MEDICAL_CARE'],
  'Kultur und Freizeit': ['ECONOMY', 'RETAIL'],
  'Mobilität und Verkehr': ['MOBILITY'],
  'Berufliche Bildung, Arbeitsmarkt und Fachkräfte': ['LABOUR_MARKET', 'EDUCATION'],
  'Daseinsvorsorge und Siedlungsstruktur': ['RETAIL', 'MEDICAL_CARE', 'DEMOGRAPHY'],
  'Wirtschaft und Innovation': ['ECONOMY'],
  'Natur und Umwelt': ['ENVIRONMENT'],
};

/** The topics that fit any of the fields of action. */
export function topicsOfFields(fields: string[]): ProjectTopic[] {
  return [...new Set(fields.flatMap((field) => FIELD_TOPICS[field] ?? []))];
}

export interface ProgrammeSeed {
  code: string;
  name: string;
  level: FundingLevel;
  description: string;
  period: string;
  budgetAsStated: string;
  source: string;
}

/** Stable codes of the real programmes in data/programmes.csv (by their name there). */
const PROGRAMME_CODES: Record<string, { code: string; level: FundingLevel }> = {
  'Zukunftsregionen in Niedersachsen': { code: 'ZUKUNFTSREGIONEN', level: 'STATE' },
  'Zukunftsräume Niedersachsen': { code: 'ZUKUNFTSRAEUME', level: 'STATE' },
  Südniedersachsenprogramm: { code: 'SUEDNIEDERSACHSEN', level: 'STATE' },
  'Soziale Innovation': { code: 'SOZIALE_INNOVATION', level: 'STATE' },
  'LEADER (ELER, Förderkonzept KLARA)': { code: 'LEADER', level: 'EU' },
  'ZILE / Dorfentwicklungsprogramm': { code: 'ZILE', level: 'STATE' },
  'GRW (Gemeinschaftsaufgabe Verbesserung der regionalen Wirtschaftsstruktur)': { code: 'GRW', level: 'FEDERAL' },
  'Multifondsprogramm Niedersachsen EFRE/ESF+': { code: 'MULTIFONDS_EFRE_ESF', level: 'EU' },
};

/** The eight real programmes with level, period and budget as the pages read state them. */
export function programmeSeeds(): ProgrammeSeed[] {
  return parseCsvRecords(readFileSync(path.join(DATA_DIR, 'programmes.csv'), 'utf8')).map(({ line, record }) => {
    const known = PROGRAMME_CODES[record.name ?? ''];
    if (!known) throw new Error(`programmes.csv line ${line}: no code for programme ${JSON.stringify(record.name)}`);
    return {
      code: known.code,
      name: record.name ?? '',
      level: known.level,
      description: `${record.level ?? ''}. ${record.notes ?? ''}`.trim(),
      period: record.period ?? '',
      budgetAsStated: record.total_budget_as_stated ?? '',
      source: record.source_url ?? '',
    };
  });
}
