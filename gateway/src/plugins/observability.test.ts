import { loggedMessage } from './observability';

describe('an error message as the log keeps it', () => {
  it('withholds the values GraphQL quotes, keeping what was wrong where', () => {
    expect(loggedMessage('Variable "$search" got invalid value 5; String cannot represent a non string value: 5')).toBe(
      'Variable "$search" got invalid value (withheld from the log)',
    );
    expect(loggedMessage('Int cannot represent non-integer value: "Frau Mustermann"')).toBe(
      'Int cannot represent non-integer value: (withheld from the log)',
    );
    expect(loggedMessage('Enum "RegionLevel" cannot represent non-enum value: "Mustermann".')).toBe(
      'Enum "RegionLevel" cannot represent non-enum value: (withheld from the log)',
    );
    expect(loggedMessage('Expected value of type "Date", found "12.03.1970"; Date must be a calendar date')).toBe(
      'Expected value of type "Date", found (withheld from the log)',
    );
    expect(loggedMessage('Value "Mustermann" does not exist in "RegionLevel" enum. Did you mean the enum value "COUNTY"?')).toBe(
      'Value (withheld from the log) does not exist in "RegionLevel" enum. Did you mean the enum value "COUNTY"?',
    );
  });

  it('keeps quoted names in messages of other forms and withholds other quoted text', () => {
    expect(loggedMessage('Cannot query field "nmae" on type "Region". Did you mean "name"?')).toBe(
      'Cannot query field "nmae" on type "Region". Did you mean "name"?',
    );
    expect(loggedMessage('No region has the code "03 Frau \\"M\\" 1", see "Query.region".')).toBe(
      'No region has the code "…", see "Query.region".',
    );
  });
});
