import { errorText } from './errors';

describe('errorText', () => {
  it('names each distinct message once, in order', () => {
    const perRegion = Array.from({ length: 45 }, () => ({ message: 'Unknown indicator code(s) in indicator: nope.' }));
    expect(errorText([{ message: 'Indicator "nope" does not exist.' }, ...perRegion])).toBe(
      'Indicator "nope" does not exist. Unknown indicator code(s) in indicator: nope.',
    );
  });

  it('says that there was no answer when the errors are missing', () => {
    expect(errorText(undefined)).toBe('Keine Antwort');
    expect(errorText([])).toBe('Keine Antwort');
  });
});
