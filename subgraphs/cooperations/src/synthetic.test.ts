import { regionCatalogue } from './region-catalogue';
import { COOPERATION_COUNT, generateSyntheticCooperations, NIENBURG } from './synthetic';

describe('synthetic cooperations', () => {
  const catalogue = regionCatalogue();
  const data = generateSyntheticCooperations(catalogue);

  it('is reproducible from the fixed seed and differs for another seed', () => {
    expect(generateSyntheticCooperations(catalogue)).toEqual(data);
    expect(generateSyntheticCooperations(catalogue, 'another seed').cooperations.map((c) => c.name)).not.toEqual(
      data.cooperations.map((c) => c.name),
    );
  });

  it('has about 60 cooperations, all labelled synthetic, with real member regions', () => {
    expect(data.cooperations).toHaveLength(COOPERATION_COUNT);
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

  it('makes Landkreis Nienburg (Weser) a member of several cooperations, some with other counties', () => {
    const nienburgCooperations = data.memberships.filter((m) => m.regionCode === NIENBURG).map((m) => m.cooperationId);
    expect(nienburgCooperations.length).toBeGreaterThanOrEqual(4);
    const withOtherCounties = nienburgCooperations.filter((id) =>
      data.memberships.some((m) => m.cooperationId === id && m.regionCode.length === 5 && m.regionCode !== NIENBURG),
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
