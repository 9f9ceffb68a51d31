import { documentLimitsMismatch } from './document-limits';

// What a subgraph answers when it refuses the gateway's document as nested too deeply (shared's
// document limits): QUERY_TOO_DEEP with its own limit.
const tooDeep = (limit: unknown) => ({ errors: [{ message: 'too deep', extensions: { code: 'QUERY_TOO_DEEP', limit } }] });

describe('documentLimitsMismatch', () => {
  it('blames a subgraph limit set lower than the gateway’s, naming both and the subgraph', () => {
    const error = documentLimitsMismatch('regions', 12, tooDeep(8));
    expect(error?.message).toBe(
      'The regions service refuses documents nested more than 8 levels deep, the gateway admits 12: MAX_DOCUMENT_NESTING is set ' +
        'lower there than at the gateway, a fault of this deployment, not of the query. The fields regions provides are missing from this answer.',
    );
    expect(error?.extensions).toEqual({ code: 'DOCUMENT_LIMITS_MISMATCH', serviceName: 'regions', subgraphLimit: 8, limit: 12 });
  });

  it('blames the planned document where the limits are equal or the subgraph’s is higher', () => {
    for (const limit of [12, 20]) {
      const error = documentLimitsMismatch('indicators', 12, tooDeep(limit));
      expect(error?.message).toBe(
        `The indicators service refuses documents nested more than ${limit} levels deep, the gateway admits 12: the document the ` +
          'gateway planned for it nests deeper than the query (entity fetches and written-out fragments add levels), so ' +
          'MAX_DOCUMENT_NESTING is too low for this query at indicators, a fault of this deployment, not of the query. ' +
          'The fields indicators provides are missing from this answer.',
      );
      expect(error?.extensions).toMatchObject({ code: 'DOCUMENT_LIMITS_MISMATCH', subgraphLimit: limit, limit: 12 });
    }
  });

  it('finds the refusal among other errors', () => {
    const body = { errors: [{ message: 'other', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, null, ...tooDeep(8).errors] };
    expect(documentLimitsMismatch('regions', 12, body)?.extensions).toMatchObject({ subgraphLimit: 8 });
  });

  it('is null for any other answer: no errors, other codes, a refusal without a numeric limit', () => {
    expect(documentLimitsMismatch('regions', 12, null)).toBeNull();
    expect(documentLimitsMismatch('regions', 12, { data: { region: null } })).toBeNull();
    expect(documentLimitsMismatch('regions', 12, { errors: 'QUERY_TOO_DEEP' })).toBeNull();
    expect(
      documentLimitsMismatch('regions', 12, { errors: [{ message: 'x', extensions: { code: 'BAD_USER_INPUT', limit: 8 } }] }),
    ).toBeNull();
    expect(documentLimitsMismatch('regions', 12, { errors: [{ message: 'x' }] })).toBeNull();
    expect(documentLimitsMismatch('regions', 12, tooDeep('8'))).toBeNull();
  });
});
