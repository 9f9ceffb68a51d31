import type { PrismaClient } from '@regiograph/db';
import { parseCsvRecords } from '@regiograph/shared';
import type { IndicatorDefinition, ObservationRecord } from '../definitions';
import { regionDirectory, type RegionDirectory } from '../regions';
import { refreshCoverage, upsertIndicators, upsertObservations } from '../store';
import { validateCatalogue, validateObservations, type ImportProblem } from './validate';

export interface ImportInput {
  catalogue?: { file: string; text: string };
  observations?: { file: string; text: string };
}

export type ImportResult =
  | { ok: true; indicators: number; observations: number }
  | { ok: false; problems: ImportProblem[] };

export interface ImportOptions {
  regions?: RegionDirectory;
  /** Progress messages (large files). */
  log?: (message: string) => void;
}

/**
 * Validates both files completely first; any problem → nothing is written and every problem is
 * returned. Otherwise writes everything in one transaction, upserting by key, so importing the
 * same files again leaves the same state.
 */
export async function importFiles(prisma: PrismaClient, input: ImportInput, options: ImportOptions = {}): Promise<ImportResult> {
  const regions = options.regions ?? regionDirectory();
  const log = options.log ?? (() => undefined);
  const existing = new Set((await prisma.indicator.findMany({ select: { code: true } })).map((row) => row.code));
  const problems: ImportProblem[] = [];
  let definitions: IndicatorDefinition[] = [];
  if (input.catalogue) {
    const validated = validateCatalogue(input.catalogue.text, input.catalogue.file, existing);
    definitions = validated.records;
    problems.push(...validated.problems);
  }
  let observations: ObservationRecord[] = [];
  if (input.observations) {
    const catalogueFileCodes = input.catalogue ? new Set(catalogueCodes(input.catalogue.text)) : new Set<string>();
    const known = new Set([...existing, ...catalogueFileCodes]);
    const validated = validateObservations(input.observations.text, input.observations.file, known, regions);
    observations = validated.records;
    problems.push(...validated.problems);
    log(`checked ${observations.length} valid observation row(s), ${validated.problems.length} problem(s)`);
  }
  if (problems.length > 0) return { ok: false, problems };
  const touched = [...new Set([...definitions.map((row) => row.code), ...observations.map((row) => row.indicatorCode)])];
  await prisma.$transaction(
    async (tx) => {
      await upsertIndicators(tx, definitions);
      await upsertObservations(tx, observations, (written, total) => log(`written ${written} of ${total} observations`));
      await refreshCoverage(tx, touched);
    },
    { timeout: 600_000, maxWait: 30_000 },
  );
  return { ok: true, indicators: definitions.length, observations: observations.length };
}

/** Codes the catalogue file defines, valid or not: observations then blame the catalogue, not themselves. */
function catalogueCodes(text: string): string[] {
  return parseCsvRecords(text).map(({ record }) => (record.code ?? '').trim()).filter(Boolean);
}
