import { largestContribution } from './similar';

describe('largestContribution', () => {
  it("names the indicator with the largest share of the distance, the profile's first on a tie", () => {
    const contributions = [
      { indicatorCode: 'a', share: 0.2 },
      { indicatorCode: 'b', share: 0.4 },
      { indicatorCode: 'c', share: 0.4 },
    ];
    expect(largestContribution(contributions)?.indicatorCode).toBe('b');
  });

  it('names none for identical regions or none compared', () => {
    expect(largestContribution([{ indicatorCode: 'a', share: 0 }])).toBeNull();
    expect(largestContribution([])).toBeNull();
  });
});
