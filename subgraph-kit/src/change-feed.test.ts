import { Prisma } from '@regiograph/db';
import { changeFeedUpkeep, decodeStored, diffSnapshots, encodeStored, idempotencyRequest, readActorRetentionDays } from './change-feed';

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

describe('the storage period of actors', () => {
  const setting = 'CHANGE_LOG_ACTOR_RETENTION_DAYS';

  it('is none (keep without limit) when unset or empty, else the days given', () => {
    expect(readActorRetentionDays({})).toBeNull();
    expect(readActorRetentionDays({ [setting]: '' })).toBeNull();
    expect(readActorRetentionDays({ [setting]: '730' })).toBe(730);
    expect(readActorRetentionDays({ [setting]: ' 30 ' })).toBe(30);
  });

  it.each(['-1', '0', 'thirty', '1.5', '30d', '1e3', '99999999999999999999'])('refuses %j with what it takes', (value) => {
    expect(() => readActorRetentionDays({ [setting]: value })).toThrow(
      `${setting} must be a whole number of days, at least 1, got ${JSON.stringify(value)}. Leave it unset to keep the actors of the change feeds without limit.`,
    );
  });

  it('refuses a period given in code that the setting would refuse', () => {
    const feed = { schema: 'projects', entities: {} };
    expect(() => changeFeedUpkeep(feed, { actorRetentionDays: 0 })).toThrow(
      `${setting} must be a whole number of days, at least 1, got 0.`,
    );
    expect(() => changeFeedUpkeep(feed, { actorRetentionDays: null })).not.toThrow();
  });
});
