import {
  boundErrorMessage,
  boundErrorText,
  DEFAULT_DOCUMENT_LIMITS,
  documentNestingError,
  explainValidationAbort,
  MAX_ERROR_MESSAGE_LENGTH,
  VALIDATION_ABORTED_MESSAGE,
  readDocumentLimits,
  documentLimitsEnvironment,
} from './document-limits';

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

describe('documentLimitsEnvironment', () => {
  it('is the environment readDocumentLimits reads the same limits back from', () => {
    const limits = { maxNesting: 40, maxValidationErrors: 3 };
    expect(documentLimitsEnvironment(limits)).toEqual({ MAX_DOCUMENT_NESTING: '40', MAX_VALIDATION_ERRORS: '3' });
    expect(readDocumentLimits(documentLimitsEnvironment(limits))).toEqual(limits);
    expect(readDocumentLimits(documentLimitsEnvironment(DEFAULT_DOCUMENT_LIMITS))).toEqual(DEFAULT_DOCUMENT_LIMITS);
  });
});

describe('readDocumentLimits', () => {
  it('reads MAX_DOCUMENT_NESTING and MAX_VALIDATION_ERRORS, 100 and 10 when unset or empty', () => {
    expect(DEFAULT_DOCUMENT_LIMITS).toEqual({ maxNesting: 100, maxValidationErrors: 10 });
    expect(readDocumentLimits({})).toEqual(DEFAULT_DOCUMENT_LIMITS);
    expect(readDocumentLimits({ MAX_DOCUMENT_NESTING: '', MAX_VALIDATION_ERRORS: '' })).toEqual(DEFAULT_DOCUMENT_LIMITS);
    expect(readDocumentLimits({ MAX_DOCUMENT_NESTING: '40', MAX_VALIDATION_ERRORS: '3' })).toEqual({
      maxNesting: 40,
      maxValidationErrors: 3,
    });
    expect(readDocumentLimits({ MAX_DOCUMENT_NESTING: '1000' }).maxNesting).toBe(1000);
  });

  it('refuses a value that is not a whole number, 0, or a nesting deep enough to overflow the parser, naming the variable', () => {
    expect(() => readDocumentLimits({ MAX_DOCUMENT_NESTING: 'deep' })).toThrow(
      /MAX_DOCUMENT_NESTING must be a non-negative integer, got "deep"/,
    );
    expect(() => readDocumentLimits({ MAX_DOCUMENT_NESTING: '0' })).toThrow(/MAX_DOCUMENT_NESTING must be between 1 and 1000, got "0"/);
    expect(() => readDocumentLimits({ MAX_DOCUMENT_NESTING: '5000' })).toThrow(
      /MAX_DOCUMENT_NESTING must be between 1 and 1000, got "5000"/,
    );
    expect(() => readDocumentLimits({ MAX_VALIDATION_ERRORS: '2.5' })).toThrow(
      /MAX_VALIDATION_ERRORS must be a non-negative integer, got "2.5"/,
    );
    expect(() => readDocumentLimits({ MAX_VALIDATION_ERRORS: '0' })).toThrow(/MAX_VALIDATION_ERRORS must be a positive integer, got "0"/);
  });
});

describe('documentNestingError', () => {
  it('counts depth, not braces: siblings nested no deeper than the limit pass', () => {
    expect(documentNestingError('{ a { b } c { d } e { f } }', 2)).toBeNull();
    expect(documentNestingError('{ a { b { c } } d { e } }', 2)?.extensions).toEqual({ code: 'QUERY_TOO_DEEP', limit: 2 });
  });

  it('counts brackets as braces, and none inside strings and comments', () => {
    expect(documentNestingError('{ a(list: [[1]]) }', 2)?.message).toBe(
      'The document nests braces and brackets more than 2 levels deep; at most 2 are allowed.',
    );
    expect(documentNestingError('{ a(text: "{{{{") # [[[[\n }', 1)).toBeNull();
  });

  it('leaves a text the lexer cannot read to the parser', () => {
    expect(documentNestingError('{ a(text: "\\q") { b { c } } }', 1)).toBeNull();
  });
});

describe('explainValidationAbort', () => {
  it("explains graphql-js's bare abort and keeps the rest of the error, and every other error as it is", () => {
    const aborted = { message: 'Validation aborted.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(explainValidationAbort(aborted)).toEqual({ message: VALIDATION_ABORTED_MESSAGE, extensions: aborted.extensions });
    const other = { message: 'Cannot query field "x" on type "Query".' };
    expect(explainValidationAbort(other)).toBe(other);
  });
});

describe('bounds at their edges', () => {
  it('bounds a long text in the extensions of an error whose message is short', () => {
    const formatted = { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'.repeat(5_000)] } };
    const bounded = boundErrorMessage(formatted);
    expect(bounded.message).toBe('Unexpected error.');
    expect((bounded.extensions?.stacktrace as string[])[0]!.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
  });

  it('leaves null, numbers and objects that are not plain in the extensions as they are', () => {
    const day = new Date(0);
    const formatted = { message: 'm'.repeat(2_000), extensions: { code: 'X', limit: 5, detail: null, day } };
    expect(boundErrorMessage(formatted).extensions).toEqual({ code: 'X', limit: 5, detail: null, day });
  });

  it('says how many characters of a long unquoted text were left out, and keeps its start and end', () => {
    const text = `${'a'.repeat(1_000)}${'b'.repeat(1_000)}`;
    const bounded = boundErrorText(text);
    expect(bounded.length).toBe(MAX_ERROR_MESSAGE_LENGTH);
    const kept = bounded.replace(/…\(\d+ characters left out\)…/, '');
    expect(bounded).toContain(`…(${text.length - kept.length} characters left out)…`);
    expect(text.startsWith(bounded.slice(0, 700))).toBe(true);
    expect(bounded.endsWith('b'.repeat(200))).toBe(true);
  });

  it('takes 1 as the lowest nesting and validation error limits', () => {
    expect(readDocumentLimits({ MAX_DOCUMENT_NESTING: '1', MAX_VALIDATION_ERRORS: '1' })).toEqual({
      maxNesting: 1,
      maxValidationErrors: 1,
    });
  });
});
