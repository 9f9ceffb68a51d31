import { readBoolean, readPositiveInteger } from './config';

describe('readBoolean', () => {
  it('reads every spelling of a switch, and refuses anything else instead of falling back', () => {
    for (const on of ['true', 'TRUE', '1', 'yes', 'On']) expect(readBoolean('SEED_ON_START', false, { SEED_ON_START: on })).toBe(true);
    // SEED_ON_START had been off only for the exact string "false": "0" or "off" still seeded.
    for (const off of ['false', 'False', '0', 'no', 'OFF']) expect(readBoolean('SEED_ON_START', true, { SEED_ON_START: off })).toBe(false);
    expect(readBoolean('SEED_ON_START', true, {})).toBe(true);
    expect(readBoolean('SEED_ON_START', true, { SEED_ON_START: '' })).toBe(true);
    expect(() => readBoolean('SEED_ON_START', true, { SEED_ON_START: 'nein' })).toThrow('SEED_ON_START must be true or false, got "nein"');
  });
});

describe('readPositiveInteger', () => {
  it('reads a count, takes the fallback when unset or blank, and refuses 0, which would mean none or no limit', () => {
    expect(readPositiveInteger('DATABASE_POOL_MAX', 10, { DATABASE_POOL_MAX: '3' })).toBe(3);
    expect(readPositiveInteger('DATABASE_POOL_MAX', 10, {})).toBe(10);
    expect(readPositiveInteger('DATABASE_POOL_MAX', 10, { DATABASE_POOL_MAX: '' })).toBe(10);
    expect(() => readPositiveInteger('DATABASE_POOL_MAX', 10, { DATABASE_POOL_MAX: '0' })).toThrow(
      'DATABASE_POOL_MAX must be a positive integer, got "0"',
    );
    expect(() => readPositiveInteger('DATABASE_POOL_MAX', 10, { DATABASE_POOL_MAX: '-1' })).toThrow(
      'DATABASE_POOL_MAX must be a non-negative integer, got "-1"',
    );
  });
});
