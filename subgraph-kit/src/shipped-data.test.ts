import { Prisma } from '@regiograph/db';
import { comparableForm, planReseed, recordForm, seedDecision, shippedDataFingerprint } from './shipped-data';

describe('shippedDataFingerprint', () => {
  it('depends on every record and its order, not on the order of fields or parts', () => {
    const base = shippedDataFingerprint({ a: [{ x: 1, y: 'ä' }], b: [{ z: new Date('2023-06-01') }] });
    expect(shippedDataFingerprint({ b: [{ z: new Date('2023-06-01') }], a: [{ y: 'ä', x: 1 }] })).toBe(base);
    expect(shippedDataFingerprint({ a: [{ x: 1, y: 'ä' }], b: [{ z: new Date('2023-01-01') }] })).not.toBe(base);
    expect(shippedDataFingerprint({ a: [{ x: 1, y: 'ä' }, { x: 2 }], b: [] })).not.toBe(
      shippedDataFingerprint({ a: [{ x: 2 }, { x: 1, y: 'ä' }], b: [] }),
    );
    // A record moved from one part to another is another data set.
    expect(shippedDataFingerprint({ a: [{ x: 1 }], b: [] })).not.toBe(shippedDataFingerprint({ a: [], b: [{ x: 1 }] }));
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('comparableForm', () => {
  it('reads a stored row as the shipped record it came from: its fields only, numbers as digits', () => {
    const shipped = { id: 'P-1', share: '0.6500', cents: 48_520_000n, year: 2023, day: new Date('2023-06-01'), note: undefined };
    const stored = {
      id: 'P-1',
      share: new Prisma.Decimal('0.65'),
      cents: 48_520_000n,
      year: 2023,
      day: new Date('2023-06-01'),
      note: 'set by the column default',
      version: 4,
    };
    expect(comparableForm(stored, shipped)).toBe(comparableForm(shipped));
    expect(comparableForm({ ...stored, share: new Prisma.Decimal('0.66') }, shipped)).not.toBe(comparableForm(shipped));
    expect(comparableForm({ ...stored, day: new Date('2023-01-01') }, shipped)).not.toBe(comparableForm(shipped));
    // Text that only looks like a number keeps its letters.
    expect(comparableForm({ title: 'Phase 1.50' })).not.toBe(comparableForm({ title: 'Phase 1.5' }));
  });

  it('compares a record with its children, in any order, and notices a child more or less', () => {
    const shipped = recordForm({ id: 'C-1', name: 'A' }, [[{ id: 'C-1.1' }, { id: 'C-1.2' }], []]);
    const template = { record: { id: 'C-1', name: 'A' }, children: [{ id: 'C-1.1' }, undefined] };
    expect(recordForm({ id: 'C-1', name: 'A', version: 2 }, [[{ id: 'C-1.2', extra: 1 }, { id: 'C-1.1' }], []], template)).toBe(shipped);
    expect(recordForm({ id: 'C-1', name: 'A' }, [[{ id: 'C-1.1' }], []], template)).not.toBe(shipped);
    expect(
      recordForm(
        { id: 'C-1', name: 'A' },
        [[{ id: 'C-1.1' }, { id: 'C-1.2' }], [{ id: 'an actor the shipped data does not have' }]],
        template,
      ),
    ).not.toBe(shipped);
  });
});

describe('planReseed', () => {
  it('writes new and changed records, removes the ones no longer shipped, and keeps everything people wrote', () => {
    const shipped = new Map([
      ['same', 'a'],
      ['changed', 'b'],
      ['new', 'c'],
      ['edited', 'd'],
      ['deleted by an editor', 'e'],
    ]);
    const stored = new Map([
      ['same', 'a'],
      ['changed', 'old b'],
      ['edited', 'edited d'],
      ['gone from the generator', 'f'],
      ['gone but edited', 'g'],
    ]);
    const people = new Set(['edited', 'deleted by an editor', 'gone but edited', 'created by an editor']);
    expect(planReseed(shipped, stored, people)).toEqual({
      write: ['changed', 'new'],
      remove: ['gone from the generator'],
      kept: ['edited', 'deleted by an editor', 'gone but edited'],
    });
  });
});

describe('seedDecision', () => {
  it('seeds only forward: from nothing or an earlier fingerprint of the list, never over a later release', () => {
    const fingerprints = ['first release', 'second release', 'this release'];
    expect(seedDecision(null, fingerprints)).toBe('seed');
    expect(seedDecision('first release', fingerprints)).toBe('seed');
    expect(seedDecision('second release', fingerprints)).toBe('seed');
    expect(seedDecision('this release', fingerprints)).toBe('current');
    expect(seedDecision('a later release', fingerprints)).toBe('later');
  });
});
