import { boundErrorMessage, boundErrorText, MAX_ERROR_MESSAGE_LENGTH } from './document-limits';

describe('boundErrorText', () => {
  it('leaves a message within the bound as it is', () => {
    const message = `Variable "$level" got invalid value "${'x'.repeat(900)}".`;
    expect(boundErrorText(message)).toBe(message);
  });

  it('shortens each long quoted value in its middle, keeping the words around it', () => {
    const value = 'x'.repeat(500_000);
    const message = `Variable "$level" got invalid value "${value}"; Value "${value}" does not exist in "RegionLevel" enum.`;
    const bounded = boundErrorText(message);
    expect(bounded.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    expect(bounded).toMatch(/^Variable "\$level" got invalid value "x{199}…\(499762 characters left out\)…x{39}"; Value "x{199}…/);
    expect(bounded).toMatch(/" does not exist in "RegionLevel" enum\.$/);
  });

  it('shortens a long text without quotes in its middle', () => {
    const bounded = boundErrorText(`Not a date: ${'1'.repeat(50_000)} (expected YYYY-MM-DD)`);
    expect(bounded.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    expect(bounded).toMatch(/^Not a date: 1+…\(\d+ characters left out\)…1+ \(expected YYYY-MM-DD\)$/);
  });
});

describe('boundErrorMessage', () => {
  it('bounds the message and every text in the extensions, and keeps the rest', () => {
    const code = '0'.repeat(10_000);
    const message = `Enum "RegionLevel" cannot represent non-enum value: "${code}".`;
    const bounded = boundErrorMessage({
      message,
      path: ['regions'],
      extensions: { code: 'UNKNOWN_REGION_CODES', codes: ['03', code], limit: 2, stacktrace: [`GraphQLError: ${message}`, '    at f'] },
    });
    expect(bounded).toEqual({
      message: boundErrorText(message),
      path: ['regions'],
      extensions: {
        code: 'UNKNOWN_REGION_CODES',
        codes: ['03', boundErrorText(code)],
        limit: 2,
        stacktrace: [boundErrorText(`GraphQLError: ${message}`), '    at f'],
      },
    });
    expect(boundErrorText(code).length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
  });

  it('returns an error with nothing too long as it is', () => {
    const error = { message: 'Unknown region codes: 03999.', extensions: { code: 'UNKNOWN_REGION_CODES', codes: ['03999'] } };
    expect(boundErrorMessage(error)).toBe(error);
  });
});
