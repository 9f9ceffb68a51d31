import { adjacency } from './adjacency';
import { realLandscape } from './real-data';
import { regionCatalogue } from './region-catalogue';
import { generateSyntheticCooperations, INTER_MUNICIPAL_COUNT, NIENBURG } from './synthetic';

describe('synthetic cooperations', () => {
  const catalogue = regionCatalogue();
  const data = generateSyntheticCooperations(catalogue);

  it('is reproducible from the fixed seed and differs for another seed', () => {
    expect(generateSyntheticCooperations(catalogue)).toEqual(data);
    expect(generateSyntheticCooperations(catalogue, 'another seed').cooperations.map((c) => c.name)).not.toEqual(
      data.cooperations.map((c) => c.name),
    );
  });

  it('has 30 inter-municipal cooperations and no synthetic record of a kind real data covers, all labelled synthetic', () => {
    expect(data.cooperations.filter((c) => c.kind === 'INTER_MUNICIPAL')).toHaveLength(INTER_MUNICIPAL_COUNT);
    expect(data.cooperations.filter((c) => ['ZUKUNFTSREGION', 'METROPOLITAN_REGION', 'LEADER_ILE_REGION'].includes(c.kind))).toEqual([]);
    for (const cooperation of data.cooperations) {
      expect(cooperation.synthetic).toBe(true);
      expect(cooperation.name).toMatch(/\(synthetic\)$/);
      expect(cooperation.website).toMatch(/\.example\.org$/);
    }
    for (const membership of data.memberships) expect(catalogue.has(membership.regionCode)).toBe(true);
  });

  it('gives every cooperation at least two distinct members and exactly one lead', () => {
    for (const cooperation of data.cooperations) {
      const members = data.memberships.filter((membership) => membership.cooperationId === cooperation.id);
      expect(new Set(members.map((member) => member.regionCode)).size).toBe(members.length);
      expect(members.length).toBeGreaterThanOrEqual(2);
      expect(members.filter((member) => member.role === 'LEAD')).toHaveLength(1);
      for (const member of members) {
        if (member.validUntil) expect(member.validUntil.getTime()).toBeGreaterThanOrEqual(member.validFrom.getTime());
      }
    }
  });

  it('joins only neighbours: the members of every cooperation form one connected group of the adjacency', () => {
    const { municipalities, counties } = adjacency();
    for (const cooperation of data.cooperations) {
      const members = data.memberships.filter((m) => m.cooperationId === cooperation.id).map((m) => m.regionCode);
      const graph = cooperation.kind === 'INTER_MUNICIPAL' ? municipalities : counties;
      for (const code of members) expect(cooperation.kind === 'INTER_MUNICIPAL' ? [9, 12] : [5]).toContain(code.length);
      // A Samtgemeinde (9 digits) borders what any of its municipalities borders.
      const areasOf = (code: string) => (code.length === 9 ? catalogue.below(code, 'MUNICIPALITY').map((m) => m.code) : [code]);
      const borders = (a: string, b: string) => areasOf(a).some((x) => areasOf(b).some((y) => (graph[x] ?? []).includes(y)));
      const reached = new Set([members[0]!]);
      for (let grown = true; grown;) {
        grown = false;
        for (const code of members) {
          if (!reached.has(code) && [...reached].some((other) => borders(code, other))) {
            reached.add(code);
            grown = true;
          }
        }
      }
      expect({ id: cooperation.id, reached: reached.size }).toEqual({ id: cooperation.id, reached: members.length });
    }
  });

  it('makes Landkreis Nienburg (Weser) a member of several cooperations, real and synthetic, some with other counties', () => {
    const all = [...data.memberships, ...realLandscape(catalogue).memberships];
    const nienburgCooperations = all.filter((m) => m.regionCode === NIENBURG).map((m) => m.cooperationId);
    expect(nienburgCooperations.length).toBeGreaterThanOrEqual(4);
    const withOtherCounties = nienburgCooperations.filter((id) =>
      all.some((m) => m.cooperationId === id && m.regionCode.length === 5 && m.regionCode !== NIENBURG),
    );
    expect(withOtherCounties.length).toBeGreaterThanOrEqual(3);
    const ofItsMunicipalities = data.memberships.filter((m) => m.countyCode === NIENBURG && m.regionCode !== NIENBURG);
    expect(ofItsMunicipalities.length).toBeGreaterThan(0);
  });

  it('keeps status and dates consistent', () => {
    for (const cooperation of data.cooperations) {
      if (cooperation.status === 'PLANNED') expect(cooperation.founded).toBeNull();
      else expect(cooperation.founded).not.toBeNull();
      expect(cooperation.dissolvedOn !== null).toBe(cooperation.status === 'DISSOLVED');
    }
  });
});
