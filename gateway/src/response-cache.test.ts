import { mayHaveWritten } from './response-cache';

describe('mayHaveWritten', () => {
  const error = (code: string, path?: (string | number)[]) => ({ message: code, path, extensions: { code } });

  it('is true when a mutation field answered, with or without errors beside it', () => {
    expect(mayHaveWritten({ data: { updateProject: { project: null, errors: [{ code: 'VERSION_CONFLICT' }] } } })).toBe(true);
    expect(mayHaveWritten({ data: { a: null, b: { id: '1' } }, errors: [error('FORBIDDEN', ['a'])] })).toBe(true);
  });

  it('is true when an error below a root field nulled it: the field ran, and may have committed', () => {
    expect(mayHaveWritten({ data: { updateProject: null }, errors: [error('BAD_USER_INPUT', ['updateProject', 'project', 'x'])] })).toBe(
      true,
    );
  });

  it('is true for an error that does not say nothing was written (a subgraph that failed or timed out)', () => {
    expect(mayHaveWritten({ data: { createProject: null }, errors: [error('SUBGRAPH_UNAVAILABLE', ['createProject'])] })).toBe(true);
    expect(mayHaveWritten({ data: null, errors: [{ message: 'no code' }] })).toBe(true);
  });

  it('is false for refusals of the root fields or of the request alone', () => {
    expect(mayHaveWritten({ data: { deleteProject: null }, errors: [error('UNAUTHENTICATED', ['deleteProject'])] })).toBe(false);
    expect(mayHaveWritten({ errors: [error('GRAPHQL_VALIDATION_FAILED')] })).toBe(false);
    expect(mayHaveWritten({ data: null, errors: [error('RATE_LIMITED'), error('QUERY_TOO_COSTLY')] })).toBe(false);
  });
});
