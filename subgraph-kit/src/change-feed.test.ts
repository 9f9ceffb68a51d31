import { Prisma } from '@regiograph/db';
import { decodeStored, diffSnapshots, encodeStored, idempotencyRequest } from './change-feed';

describe('diffSnapshots', () => {
  it('reports the changed fields with old and new values, leaving out bookkeeping', () => {
    const before = { title: 'A', topics: ['MOBILITY'], end_date: null, version: 1, updated_at: '2026-01-01' };
    const after = { title: 'B', topics: ['MOBILITY'], end_date: '2027-01-01', version: 2, updated_at: '2026-02-01' };
    expect(diffSnapshots(before, after)).toEqual({ end_date: { old: null, new: '2027-01-01' }, title: { old: 'A', new: 'B' } });
  });

  it('reports every field of a created or deleted record', () => {
    expect(diffSnapshots(null, { title: 'A', version: 1 })).toEqual({ title: { old: null, new: 'A' } });
    expect(diffSnapshots({ title: 'A' }, null)).toEqual({ title: { old: 'A', new: null } });
  });
});

describe('stored answers', () => {
  it('keep dates, big integers and decimals through JSON', () => {
    const answer = {
      project: { id: 'P-1', startDate: new Date('2026-03-01T00:00:00Z'), cents: 12_345_678_901_234n, share: new Prisma.Decimal('0.1250') },
      errors: [],
    };
    const decoded = decodeStored(JSON.parse(JSON.stringify(encodeStored(answer)))) as typeof answer;
    expect(decoded.project.startDate).toEqual(answer.project.startDate);
    expect(decoded.project.cents).toBe(12_345_678_901_234n);
    expect(decoded.project.share.toString()).toBe('0.125');
    expect(Prisma.Decimal.isDecimal(decoded.project.share)).toBe(true);
    expect(decoded.errors).toEqual([]);
  });
});

describe('idempotencyRequest', () => {
  it('fingerprints the arguments regardless of key order, and tells other arguments apart', () => {
    const a = idempotencyRequest('k', 'createProject', { input: { title: 'A', startDate: new Date('2026-03-01'), topics: ['MOBILITY'] } });
    const b = idempotencyRequest('k', 'createProject', { input: { topics: ['MOBILITY'], startDate: new Date('2026-03-01'), title: 'A' } });
    const c = idempotencyRequest('k', 'createProject', { input: { title: 'B', startDate: new Date('2026-03-01'), topics: ['MOBILITY'] } });
    const d = idempotencyRequest('k', 'updateProject', { input: { title: 'A', startDate: new Date('2026-03-01'), topics: ['MOBILITY'] } });
    expect(a!.requestHash).toBe(b!.requestHash);
    expect(c!.requestHash).not.toBe(a!.requestHash);
    expect(d!.requestHash).not.toBe(a!.requestHash);
  });

  it('is null without a key and refuses an empty or overlong one', () => {
    expect(idempotencyRequest(null, 'createProject', {})).toBeNull();
    expect(() => idempotencyRequest('  ', 'createProject', {})).toThrow(/idempotencyKey must be 1–255 characters/);
    expect(() => idempotencyRequest('x'.repeat(256), 'createProject', {})).toThrow(/idempotencyKey/);
  });
});
