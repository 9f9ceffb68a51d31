import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADJACENCY_FILE, deriveAdjacency, serialiseAdjacency } from './adjacency';
import { exportForProjects, PROJECTS_COPY, serialiseExport } from './export';
import { parseBudgetCents, realLandscape, realStrategies } from './real-data';
import { regionCatalogue } from './region-catalogue';
import { generateSyntheticCooperations } from './synthetic';
import { endOnDissolution, endsAfterLife, startOutsideLife, YEARS } from './validation';

const catalogue = regionCatalogue();
const real = realLandscape(catalogue);
const byId = new Map(real.cooperations.map((cooperation) => [cooperation.id, cooperation]));
const membersOf = (id: string) => real.memberships.filter((membership) => membership.cooperationId === id);

describe('the real cooperation landscape (data/landscape)', () => {
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
    // Osnabrück joined the Metropolregion Nordwest later than the others.
    expect(membersOf('MR-NW').find((m) => m.regionCode === '03459')?.validFrom).toEqual(new Date(Date.UTC(2010, 6, 1)));
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
