import { readBoolean } from './config';

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
