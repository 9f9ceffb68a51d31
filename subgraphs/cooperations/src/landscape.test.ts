import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KEY_SUCCESSIONS, parseCsvRecords, recordProvenance } from '@regiograph/shared';
import { ADJACENCY_FILE, deriveAdjacency, serialiseAdjacency } from './adjacency';
import { exportForProjects, PROJECTS_COPY, serialiseExport } from './export';
import { FIRST_RECOGNITION, LANDSCAPE_DIR, parseBudgetCents, realLandscape, realStrategies } from './real-data';
import { STRATEGY_SOURCE, strategySeeds } from './reference-data';
import { regionCatalogue } from './region-catalogue';
import { generateSyntheticCooperations } from './synthetic';
import { endOnDissolution, endsAfterLife, startOutsideLife, YEARS } from './validation';

const catalogue = regionCatalogue();
const real = realLandscape(catalogue);
const byId = new Map(real.cooperations.map((cooperation) => [cooperation.id, cooperation]));
const membersOf = (id: string) => real.memberships.filter((membership) => membership.cooperationId === id);

describe('the real cooperation landscape (data/landscape)', () => {
  // SOURCES.md says of each page whether it is a Wikipedia article read through a mirror, a snapshot or
  // a private front end; the attributions must credit Wikipedia for exactly those (shared's WIKIPEDIA_COPY_HOSTS).
  it('credits Wikipedia for every page SOURCES.md calls a copy of its articles, and for no other', () => {
    const rows = readFileSync(path.join(LANDSCAPE_DIR, 'SOURCES.md'), 'utf8')
      .split('\n')
      .filter((line) => /^\| https?:\/\//.test(line));
    expect(rows.length).toBeGreaterThan(50);
    const credited = (url: string) => recordProvenance({ origin: 'real', source: url }).attribution.includes("Wikipedia's articles");
    const wikipediaRows = rows.filter((row) => /wikipedia/i.test(row));
    expect(wikipediaRows.length).toBeGreaterThanOrEqual(7);
    for (const row of rows) {
      const url = row.split('|')[1]!.trim();
      expect({ url, credited: credited(url) }).toEqual({ url, credited: wikipediaRows.includes(row) });
    }
  });

  it('has the 14 Zukunftsregionen, 3 Metropolregionen and 12 LEADER regions, all real with a source URL', () => {
    const count = (kind: string) => real.cooperations.filter((cooperation) => cooperation.kind === kind).length;
    expect([count('ZUKUNFTSREGION'), count('METROPOLITAN_REGION'), count('LEADER_ILE_REGION')]).toEqual([14, 3, 12]);
    for (const cooperation of real.cooperations) {
      expect(cooperation.synthetic).toBe(false);
      expect(cooperation.source).toMatch(/^https?:\/\//);
      expect(cooperation.name).not.toMatch(/synthetic/);
    }
    for (const membership of real.memberships) expect(catalogue.has(membership.regionCode)).toBe(true);
  });

  it('keeps what the files say: members, lead, other members, fields of action, budget and recognition', () => {
    const mitte = byId.get('ZR06')!;
    expect(membersOf('ZR06').map((m) => [m.regionCode, m.role])).toEqual([
      ['03251', 'MEMBER'],
      ['03256', 'MEMBER'],
      ['03361', 'LEAD'],
    ]);
    expect(mitte).toMatchObject({
      leadPartner: 'Landkreis Verden',
      recognisedOn: '2022-09-20',
      founded: new Date(Date.UTC(2022, 8, 20)),
      budgetCents: 700_000_000n,
    });
    expect(mitte.fieldsOfAction).toEqual(['Regionale Innovationsfähigkeit', 'CO2-arme Gesellschaft und Kreislaufwirtschaft']);
    expect(byId.get('ZR03')!.otherMembers).toEqual([
      { name: 'Landeshauptstadt Hannover', kind: 'MUNICIPALITY', regionCode: '032410001001' },
      { name: 'Stadt Hildesheim', kind: 'MUNICIPALITY', regionCode: '032540021021' },
    ]);
    expect(byId.get('ZR01')!.otherMembers).toEqual([
      { name: 'Biosphärenreservatsverwaltung Niedersächsische Elbtalaue', kind: 'PUBLIC_BODY', regionCode: null },
    ]);
    // A month only is kept as a month: no day is invented, so there is no founding day either.
    expect(byId.get('ZR03')).toMatchObject({ recognisedOn: '2022-09', founded: null });
    expect(byId.get('ZR12')).toMatchObject({ fieldsOfAction: [], fieldsOfActionComplete: false, budgetCents: 546_096_200n });
    expect(membersOf('ZR12').find((m) => m.role === 'LEAD')?.regionCode).toBe('03101');
  });

  it('states partial knowledge instead of filling it in', () => {
    expect(byId.get('MR-HBGW')).toMatchObject({ membersComplete: false });
    expect(byId.get('MR-HBGW')!.unmappedMembers).toMatch(/15th Landkreis/);
    expect(byId.get('MR-HH')!.membersComplete).toBe(true);
    const wattenmeer = real.cooperations.find((c) => c.name === 'LEADER-Region Wattenmeer-Achter')!;
    expect(wattenmeer).toMatchObject({ membersComplete: false, unmappedMembers: '(members not listed on page read)' });
    expect(membersOf(wattenmeer.id)).toEqual([]);
    const ems = real.cooperations.find((c) => c.name === 'LEADER-Region Ostfriesland an der Ems')!;
    expect(membersOf(ems.id).map((m) => m.regionCode)).toContain('034570021021');
    expect(ems.membersComplete).toBe(false); // Emden takes part only with some Stadtteile
    // The LEADER period 2023–2027 begins on 1 January 2023, but in the Wesermarsch on the day its source states.
    const wesermarsch = real.cooperations.find((c) => c.name === 'LEADER-Region Wesermarsch in Bewegung')!;
    expect(wesermarsch.recognitionNote).toMatch(/started in the Wesermarsch 01\.06\.2023/);
    expect(membersOf(wesermarsch.id).map((m) => m.validFrom)).toEqual([new Date(Date.UTC(2023, 5, 1))]);
    expect(new Set(membersOf(ems.id).map((m) => m.validFrom.toISOString()))).toEqual(new Set(['2023-01-01T00:00:00.000Z']));
    // Osnabrück joined the Metropolregion Nordwest later than the others.
    expect(membersOf('MR-NW').find((m) => m.regionCode === '03459')?.validFrom).toEqual(new Date(Date.UTC(2010, 6, 1)));
  });

  it('starts a membership on the first day the sources allow, never on an invented one', () => {
    const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
    const startsOf = (id: string) => [...new Set(membersOf(id).map((m) => m.validFrom.toISOString().slice(0, 10)))];
    // The programme's first recognition is the earliest day of recognition any row states, and the
    // row of Südniedersachsen calls it the first Anerkennungsbescheid of the programme.
    const rows = parseCsvRecords(readFileSync(path.join(LANDSCAPE_DIR, 'zukunftsregionen.csv'), 'utf8')).map(({ record }) => record);
    const statedDays = rows
      .map((row) => row.recognised_on ?? '')
      .filter((day) => /^\d{4}-\d{2}-\d{2}$/.test(day))
      .sort();
    expect(statedDays[0]).toBe('2022-09-19');
    expect(FIRST_RECOGNITION).toEqual(utc(2022, 9, 19));
    expect(rows.find((row) => row.id === 'ZR11')!.recognised_on_note).toMatch(/first Anerkennungsbescheid of the programme/);
    // No date stated (Elbtalaue-Heide-Wendland, Zukunftsregion4Klima): the first recognition, labelled a lower bound.
    for (const id of ['ZR01', 'ZR14']) {
      expect(byId.get(id)).toMatchObject({ recognisedOn: null, founded: null });
      expect(startsOf(id)).toEqual(['2022-09-19']);
      expect(byId.get(id)!.recognitionNote).toMatch(
        /start on 19\.09\.2022, the programme's first recognition .*not on the region's own day/,
      );
    }
    // A stated month starts on its first day, but not before the first recognition; a stated day on that day.
    expect(startsOf('ZR03')).toEqual(['2022-09-19']);
    expect(startsOf('ZR05')).toEqual(['2022-10-01']);
    expect(startsOf('ZR02')).toEqual(['2022-09-26']);
    const zukunftsregionen = real.memberships.filter((m) => m.cooperationId.startsWith('ZR'));
    expect(zukunftsregionen.filter((m) => m.validFrom < FIRST_RECOGNITION)).toEqual([]);
    // A Metropolregion starts on the first date its row names: the MKRO recognition of the Nordwest
    // on 28.04.2005, the year 1991 for Hamburg (not its later "Träger since 01.03.2017").
    expect(membersOf('MR-NW').find((m) => m.regionCode === '03451')?.validFrom).toEqual(utc(2005, 4, 28));
    expect(startsOf('MR-HH')).toEqual(['1991-01-01']);
  });

  it('reads the budget amounts as stated', () => {
    expect(parseBudgetCents('6.173.000 EUR (6,173 Mio. EUR; emsland.de)')).toBe(617_300_000n);
    expect(parseBudgetCents('rund 7 Mio. EUR')).toBe(700_000_000n);
    expect(parseBudgetCents('knapp 4,869 Mio. EUR')).toBe(486_900_000n);
    expect(parseBudgetCents('not stated')).toBeNull();
  });

  it('loads the fields of action of the strategies: Leine-Weser complete, the others partial', () => {
    const strategies = new Map(realStrategies().map((strategy) => [strategy.districtCode, strategy]));
    expect(strategies.get('032')).toMatchObject({ fieldsOfActionComplete: true });
    expect(strategies.get('032')!.fields.map((field) => field.title)).toHaveLength(7);
    expect(strategies.get('032')!.fields[0]!.title).toBe('Wirtschaft und Innovation');
    for (const code of ['031', '033', '034']) {
      expect(strategies.get(code)!.fieldsOfActionComplete).toBe(false);
      expect(strategies.get(code)!.fieldsOfActionNote).toMatch(/^partial/);
    }
    expect(strategies.get('031')!.fields).toEqual([]);
  });

  it('gives the strategies the real year of their update, 2020, and no invented day', () => {
    const { strategies } = strategySeeds();
    expect(strategies).toHaveLength(4);
    for (const strategy of strategies) {
      // The year is stored as 1 January: the API shows the year only (updatedInYears).
      expect(strategy.updatedOn).toEqual([new Date(Date.UTC(2020, 0, 1))]);
      expect(strategy.updatedOnSynthetic).toBe(false);
    }
    expect(STRATEGY_SOURCE).toMatch(/update, 2020 .*states the year only/);
    expect(STRATEGY_SOURCE).not.toMatch(/synthetic/);
  });
});

describe('every member row of the source files', () => {
  const rowsOf = (file: string) => parseCsvRecords(readFileSync(path.join(LANDSCAPE_DIR, file), 'utf8')).map(({ record }) => record);
  const codes = (cell: string | undefined) => (cell ?? '').split(';').filter((code) => code !== '');
  // Read independently of the loader: an 8-digit AGS is the municipality whose AGS it is, any other code an ARS.
  const arsOf = (code: string) => (code.length === 8 ? catalogue.regions.find((region) => region.ags === code)?.code : code);
  const sortedCodesOf = (id: string) =>
    membersOf(id)
      .map((membership) => membership.regionCode)
      .sort();
  const inArea = (code: string, area: string[]) => area.some((prefix) => code.startsWith(prefix));

  it('makes each stated member of a Zukunftsregion a member, none other, each in an ArL district its row names', () => {
    const rows = rowsOf('zukunftsregionen.csv');
    expect(rows).toHaveLength(14);
    for (const row of rows) {
      const stated = codes(row.member_ags).map(arsOf);
      expect({ id: row.id, members: sortedCodesOf(row.id!) }).toEqual({ id: row.id, members: [...stated].sort() });
      const districts = codes(row.arl_district);
      expect({ id: row.id, outside: stated.filter((code) => !catalogue.has(code!) || !inArea(code!, districts)) }).toEqual({
        id: row.id,
        outside: [],
      });
      // A partner city the row names with its AGS lies in one of the member counties.
      for (const other of byId.get(row.id!)!.otherMembers.filter((member) => member.regionCode !== null)) {
        expect({ id: row.id, other: other.name, inMember: inArea(other.regionCode!, stated as string[]) }).toEqual({
          id: row.id,
          other: other.name,
          inMember: true,
        });
      }
      // The lead partner the row names is the member with the LEAD role.
      const lead = membersOf(row.id!).find((membership) => membership.role === 'LEAD');
      if (row.lead_partner) {
        expect({
          id: row.id,
          leadPartner: row.lead_partner,
          leadNamed: lead !== undefined && row.lead_partner.includes(catalogue.get(lead.regionCode)!.name),
        }).toEqual({
          id: row.id,
          leadPartner: row.lead_partner,
          leadNamed: true,
        });
      }
    }
  });

  it('makes each stated member of a LEADER region and a Metropolregion a member, none other', () => {
    const leader = rowsOf('leader_regions.csv');
    expect(leader).toHaveLength(12);
    for (const row of leader) {
      const cooperation = real.cooperations.find((candidate) => candidate.name === `LEADER-Region ${row.name}`);
      expect({ name: row.name, found: cooperation !== undefined }).toEqual({ name: row.name, found: true });
      const stated = codes(row.member_codes_ags_or_ars).map(arsOf);
      expect({ name: row.name, members: sortedCodesOf(cooperation!.id) }).toEqual({ name: row.name, members: [...stated].sort() });
      // Every member of one LEADER region lies in one ArL district, as the ArL is the approving authority.
      expect(new Set(stated.map((code) => code!.slice(0, 3))).size).toBeLessThanOrEqual(1);
    }
    const metropolitan = rowsOf('metropolregionen.csv');
    expect(metropolitan).toHaveLength(3);
    for (const row of metropolitan)
      expect({ id: row.id, members: sortedCodesOf(row.id!) }).toEqual({ id: row.id, members: codes(row.member_ags).map(arsOf).sort() });
  });
});

describe('memberships and the life of their regions’ codes', () => {
  const synthetic = generateSyntheticCooperations(catalogue);
  const beforeKey = (memberships: { id: string; regionCode: string; validFrom: Date }[]) =>
    memberships.flatMap((membership) => {
      const since = catalogue.keyExistsSince(membership.regionCode);
      return since && membership.validFrom < since
        ? [`${membership.id} (${membership.regionCode}) from ${membership.validFrom.toISOString().slice(0, 10)}`]
        : [];
    });

  it('knows when a key began: Göttingen 2016, Region Hannover 2001, the other counties before any membership', () => {
    expect(catalogue.keyExistsSince('03159')).toEqual(new Date(Date.UTC(2016, 10, 1)));
    expect(catalogue.keyExistsSince('03241')).toEqual(new Date(Date.UTC(2001, 10, 1)));
    // The town of Göttingen's key carries the county's: not before it.
    expect(catalogue.keyExistsSince('031590016016')!.getTime()).toBeGreaterThanOrEqual(Date.UTC(2016, 10, 1));
    // Heidekreis was renamed in 2011 (valid_since) under the key it has had since 1977.
    expect(catalogue.keyExistsSince('03358')).toBeNull();
    expect(KEY_SUCCESSIONS.every((succession) => catalogue.get(succession.code)?.level === 'COUNTY')).toBe(true);
    // The check finds a membership from before its key.
    expect(beforeKey([{ id: 'X.1', regionCode: '03159', validFrom: new Date(Date.UTC(2005, 0, 1)) }])).toEqual([
      'X.1 (03159) from 2005-01-01',
    ]);
  });

  it('has no membership, real or synthetic, that starts before its region’s code existed', () => {
    expect(beforeKey(real.memberships)).toEqual([]);
    expect(beforeKey(synthetic.memberships)).toEqual([]);
  });

  it('has today’s Landkreis Göttingen in the Metropolregion HBGW from the merger, naming its predecessors', () => {
    expect(membersOf('MR-HBGW').find((m) => m.regionCode === '03159')?.validFrom).toEqual(new Date(Date.UTC(2016, 10, 1)));
    expect(membersOf('MR-HBGW').find((m) => m.regionCode === '03241')?.validFrom).toEqual(new Date(Date.UTC(2005, 0, 1)));
    expect(byId.get('MR-HBGW')!.unmappedMembers).toMatch(
      /until 2016-10-31 Landkreis Göttingen \(03152\) and Landkreis Osterode am Harz \(03156\), merged into 03159/,
    );
  });
});

describe('the seeded cooperations and the write rules', () => {
  it('keep them, real and synthetic: the rules of the mutations refuse or change none of the seeded records', () => {
    const synthetic = generateSyntheticCooperations(catalogue);
    const cooperations = [...real.cooperations, ...synthetic.cooperations];
    const memberships = [...real.memberships, ...synthetic.memberships];
    const inYears = (day: Date | null) => day === null || (day.getUTCFullYear() >= YEARS.min && day.getUTCFullYear() <= YEARS.max);
    const broken = cooperations.flatMap((cooperation) => {
      const problems: string[] = [];
      if (cooperation.status === 'PLANNED' && cooperation.founded) problems.push('founded while planned');
      if (!inYears(cooperation.founded) || !inYears(cooperation.dissolvedOn)) problems.push('a day outside the years');
      for (const membership of memberships.filter((m) => m.cooperationId === cooperation.id)) {
        if (!inYears(membership.validFrom) || !inYears(membership.validUntil)) problems.push(`${membership.id} outside the years`);
        if (startOutsideLife(cooperation, membership.validFrom)) problems.push(`${membership.id} starts outside its life`);
        if (endsAfterLife(cooperation, membership.validUntil)) problems.push(`${membership.id} ends after it`);
        if (endOnDissolution(cooperation, membership.validUntil) !== membership.validUntil) problems.push(`${membership.id} still runs`);
      }
      return problems.map((problem) => `${cooperation.id}: ${problem}`);
    });
    expect(broken).toEqual([]);
    // The oldest seeded day lies within the years: the Metropolregion Hamburg's members from 1991.
    const first = Math.min(...memberships.map((membership) => membership.validFrom.getUTCFullYear()));
    expect(first).toBe(1991);
  });
});

describe('checked-in derived data', () => {
  it('adjacency.json is what scripts/derive-adjacency.ts derives from the regions subgraph’s boundaries', () => {
    const regionsData = path.join(__dirname, '..', '..', 'regions', 'data');
    const derived = deriveAdjacency(
      readFileSync(path.join(regionsData, 'municipalities.geojson'), 'utf8'),
      readFileSync(path.join(regionsData, 'counties.geojson'), 'utf8'),
    );
    expect(readFileSync(ADJACENCY_FILE, 'utf8')).toBe(serialiseAdjacency(derived));
    // Symmetric, and plausible: Nienburg (Weser) borders Diepholz, Region Hannover, Schaumburg, Heidekreis and Verden.
    for (const [code, neighbours] of Object.entries(derived.municipalities))
      for (const other of neighbours) expect(derived.municipalities[other]).toContain(code);
    expect(derived.counties['03256']).toEqual(['03241', '03251', '03257', '03358', '03361']);
    // Islands have no neighbours (Borkum).
    expect(derived.municipalities['034570002002']).toEqual([]);
  });

  it('the projects subgraph’s copy (projects/data/cooperations.json) is up to date (run npm run export-for-projects)', () => {
    expect(readFileSync(PROJECTS_COPY, 'utf8')).toBe(serialiseExport(exportForProjects(catalogue)));
  });
});
