// Imports an indicator catalogue, value files and/or observations from CSV files (formats in the README):
//   npm run import -w @regiograph/indicators -- --release "<release>" --catalogue cat.csv [--values v.csv ...] [--observations obs.csv]
//   npm run import -w @regiograph/indicators -- --release "<release>" --monitoring      (the shipped regional monitoring)
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createDatabaseClient, type BulkWriter } from '@regiograph/db';
import { CSV_DIALECTS, CsvSyntaxError, decodeCsvFile, findDatabaseUrl, type CsvDialect, type DatabaseUrlLookup } from '@regiograph/shared';
import { announceDataChange } from '@regiograph/subgraph-kit';
import { describeReport, importFiles, prepareImport, type ImportedFile, type ImportInput, type ImportOptions } from './run';
import { REGION_KEY_COLUMNS, type RegionKeyColumn } from './region-keys';
import { MONITORING_SMALL_PERCENTAGES, monitoringFiles } from '../seed';

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const USAGE =
  'usage: import [--check] --release <name of the release> [--dialect EXCEL_DE] [--official-by <who vouches>] [--small-percentages <indicator>]... [--region-key AGS] ' +
  '([--catalogue <catalogue.csv>] [--values <values.csv>]... [--observations <observations.csv>] | --monitoring) ' +
  '(--release may be left out with --check; the database: DATABASE_URL, else the one npm start runs; --check validates and reports, writing nothing; ' +
  '--dialect EXCEL_DE reads files as Excel with German settings saves CSV: semicolons, decimal commas, dates as 31.12.2023; ' +
  '--official-by names who vouches that the indicators the catalogue makes official are official statistics, recorded with the import; ' +
  '--small-percentages takes values in % of that indicator that all lie between -1 and 1, refused otherwise as fractions; ' +
  "--region-key AGS reads the observations' region_code as AGS, each taken as the ARS of the one region that has it)";

/** The refusal of a write without --release; --check writes nothing and needs none. */
export const RELEASE_REQUIRED =
  '--release is required to import: name the release of official data the files bring, as the office names it ' +
  '(e.g. --release "Regionaldatenbank 12411-01-01-4, Stand 15.03.2024"); every value written names it for the API and ' +
  'the CSV export (importedFrom). --check needs none.';

/**
 * Runs the import and returns the exit code: 0 applied, 1 rejected (nothing changed), 2 usage error.
 * Relative file names are read from `cwd`: `npm run import -w …` runs in the package's folder, while the
 * steward names the files from where they stand (npm's INIT_CWD).
 */
export async function runCli(argv: string[], database: DatabaseUrlLookup, output: CliOutput, cwd: string = process.cwd()): Promise<number> {
  const files: { catalogue?: string; observations?: string; values: string[] } = { values: [] };
  let monitoring = false;
  let check = false;
  let release: string | undefined;
  let dialect: CsvDialect | undefined;
  let officialBy: string | undefined;
  let regionKey: RegionKeyColumn | undefined;
  const smallPercentages = new Set<string>();
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = argv[index + 1];
    if (flag === '--monitoring') monitoring = true;
    else if (flag === '--dialect' && dialect === undefined) {
      const named = CSV_DIALECTS.find((name) => name === value);
      if (!named) {
        output.err(`--dialect ${value ?? ''}: one of ${CSV_DIALECTS.join(', ')}\n${USAGE}`);
        return 2;
      }
      dialect = named;
      index++;
    } else if (flag === '--region-key' && regionKey === undefined) {
      const named = REGION_KEY_COLUMNS.find((name) => name === value);
      if (!named) {
        output.err(`--region-key ${value ?? ''}: one of ${REGION_KEY_COLUMNS.join(', ')}\n${USAGE}`);
        return 2;
      }
      regionKey = named;
      index++;
    } else if (flag === '--official-by' && value && !value.startsWith('--') && officialBy === undefined && value.trim() !== '') {
      officialBy = value.trim();
      index++;
    } else if (flag === '--small-percentages' && value && !value.startsWith('--')) {
      smallPercentages.add(value.trim());
      index++;
    } else if (flag === '--check') check = true;
    else if (flag === '--release' && value && !value.startsWith('--') && release === undefined && value.trim() !== '') {
      release = value.trim();
      index++;
    } else if ((flag === '--catalogue' || flag === '--observations' || flag === '--values') && value && !value.startsWith('--')) {
      if (flag === '--values') files.values.push(value);
      else {
        const key = flag === '--catalogue' ? 'catalogue' : 'observations';
        // A second file would replace the first without a word: one of the two would not be imported.
        if (files[key] !== undefined) {
          output.err(`${flag} given twice (${files[key]}, ${value}): give one file (--values may repeat)\n${USAGE}`);
          return 2;
        }
        files[key] = value;
      }
      index++;
    } else {
      output.err(`unexpected argument ${JSON.stringify(flag)}\n${USAGE}`);
      return 2;
    }
  }
  if (monitoring) {
    if (files.catalogue !== undefined) {
      output.err(`--monitoring brings its own catalogue: it cannot be combined with --catalogue ${files.catalogue}\n${USAGE}`);
      return 2;
    }
    files.catalogue = monitoringFiles().catalogue;
    files.values.push(...monitoringFiles().values);
    for (const code of MONITORING_SMALL_PERCENTAGES) smallPercentages.add(code);
  }
  if (!files.catalogue && !files.observations) {
    output.err(USAGE);
    return 2;
  }
  // Every value an import writes names its release (Observation.importedFrom, the CSV export's release
  // column): a partner reconciling with the statistics office cannot tell an unnamed import's values
  // from which of the office's releases they came. A derived name (files, time) would not say either.
  if (release === undefined && !check) {
    output.err(`${RELEASE_REQUIRED}\n${USAGE}`);
    return 2;
  }
  if (database.url === undefined) {
    output.err(`${database.problem}\n${USAGE}`);
    return 2;
  }
  const input: ImportInput = { ...(dialect ? { dialect } : {}), ...(regionKey ? { regionKey } : {}) };
  const undecodable: string[] = [];
  // The bytes' hashes, recorded with an official designation: the copy of each file can be told later.
  const hashed: ImportedFile[] = [];
  const read = async (file: string) => {
    const bytes = await readFile(path.resolve(cwd, file));
    hashed.push({ file: path.basename(file), sha256: createHash('sha256').update(bytes).digest('hex') });
    try {
      return { file, text: decodeCsvFile(bytes) };
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      undecodable.push(`${file}:${error.line}: ${error.message}`);
      return { file, text: '' };
    }
  };
  try {
    if (files.catalogue) input.catalogue = await read(files.catalogue);
    if (files.observations) input.observations = await read(files.observations);
    if (files.values.length > 0) input.values = await Promise.all(files.values.map(read));
  } catch (error) {
    output.err(`cannot read input: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (undecodable.length > 0) {
    for (const problem of undecodable) output.err(problem);
    output.err(`${undecodable.length} problem(s) found; nothing was imported.`);
    return 1;
  }
  output.err(`database: from ${database.from}`);
  // The shipped monitoring is what the seed writes, whose catalogue is RegioGraph's own: not asked, as the seed is not.
  const options: ImportOptions = {
    ...(officialBy !== undefined || !monitoring ? { officialBy: officialBy ?? null } : {}),
    files: hashed,
    smallPercentages,
  };
  const client = createDatabaseClient({ url: database.url, applicationName: 'regiograph-indicators-import' });
  try {
    if (check) return await checkOnly(client, input, options, output);
    const result = await importFiles(client, input, { ...options, log: (message) => output.err(message), ...(release ? { release } : {}) });
    if (!result.ok) {
      for (const problem of result.problems) output.err(`${problem.file}:${problem.line}: ${problem.reason}`);
      output.err(`${result.problems.length} problem(s) found; nothing was imported.`);
      return 1;
    }
    for (const line of describeReport(result)) output.err(line);
    if (result.madeOfficial?.length)
      output.err(
        `official: ${result.madeOfficial.join(', ')}, vouched for by ${officialBy ?? ''} (recorded in indicators.official_designation)`,
      );
    // The gateways' cached answers must not outlive the data they were computed from.
    const { sharedStore, notified } = await announceDataChange(client.pool, 'import');
    const listening = notified
      ? 'gateways caching in their own memory drop their answers on the database notice'
      : 'WARNING: the database notice could not be sent; gateways caching in their own memory keep their answers until RESPONSE_CACHE_MAX_AGE';
    output.err(
      sharedStore === 'bumped'
        ? 'cache: data version bumped; gateways recompute their answers.'
        : sharedStore === 'failed'
          ? `cache: WARNING: Redis unreachable, the shared data version was not bumped; gateways sharing it keep their answers until RESPONSE_CACHE_MAX_AGE; ${listening}.`
          : `cache: no REDIS_URL; ${listening}.`,
    );
    output.out(
      `imported ${result.indicators} indicator(s) and ${result.observations} observation(s) in ${result.milliseconds} ms: ` +
        `${result.observationsWritten} new or changed, ${result.observations - result.observationsWritten} already stored as they are` +
        (result.observationsRemoved > 0 ? `, ${result.observationsRemoved} removed` : '') +
        '; ' +
        `${result.indicatorsChanged.length} indicator(s) changed.`,
    );
    return 0;
  } finally {
    await client.close();
  }
}

/**
 * Validates and computes as the import does, against the stored data, and reports what it found, so
 * a steward sees keys that would not be loaded and failing state checks before anything is written.
 */
async function checkOnly(database: BulkWriter, input: ImportInput, options: ImportOptions, output: CliOutput): Promise<number> {
  const result = await prepareImport(database.prisma, input, { ...options, stored: database.pool, log: (message) => output.err(message) });
  if (!result.ok) {
    for (const problem of result.problems) output.err(`${problem.file}:${problem.line}: ${problem.reason}`);
    output.err(`${result.problems.length} problem(s) found; nothing was imported.`);
    return 1;
  }
  for (const line of describeReport(result.prepared.report)) output.err(line);
  output.out(
    `checked ${result.prepared.definitions.length} indicator(s) and ${result.prepared.observations.length} observation(s): ` +
      'no problem found; nothing was written (run it again without --check to import).',
  );
  return 0;
}

if (require.main === module) {
  runCli(
    process.argv.slice(2),
    findDatabaseUrl(['DATABASE_URL']),
    {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    },
    process.env.INIT_CWD || process.cwd(),
  ).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`import failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
