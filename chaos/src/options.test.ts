import { parseChaosOptions, USAGE, UsageError } from './options';

describe('parseChaosOptions', () => {
  it('runs the full form by default and the short one with --quick', () => {
    expect(parseChaosOptions([])).toEqual({ quick: false, help: false });
    expect(parseChaosOptions(['--quick'])).toEqual({ quick: true, help: false });
    expect(parseChaosOptions(['--help']).help).toBe(true);
  });

  it('refuses what it does not know, naming it, instead of starting a run', () => {
    for (const argv of [['--quik'], ['quick'], ['--quick=yes']]) {
      const attempt = () => parseChaosOptions(argv);
      expect(attempt).toThrow(UsageError);
      expect(attempt).toThrow(USAGE);
    }
    expect(() => parseChaosOptions(['--quik'])).toThrow("Unknown option '--quik'");
  });
});
