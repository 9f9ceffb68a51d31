import { disableApolloTelemetryUnlessAsked } from './apollo-telemetry';

describe("Apollo Gateway's usage reporting", () => {
  it('is turned off when the operator said nothing', () => {
    const unset: NodeJS.ProcessEnv = {};
    disableApolloTelemetryUnlessAsked(unset);
    expect(unset.APOLLO_TELEMETRY_DISABLED).toBe('true');
    const empty: NodeJS.ProcessEnv = { APOLLO_TELEMETRY_DISABLED: '' };
    disableApolloTelemetryUnlessAsked(empty);
    expect(empty.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });

  it("keeps the operator's choice, on or off", () => {
    for (const value of ['false', 'true', '1']) {
      const env: NodeJS.ProcessEnv = { APOLLO_TELEMETRY_DISABLED: value };
      disableApolloTelemetryUnlessAsked(env);
      expect(env.APOLLO_TELEMETRY_DISABLED).toBe(value);
    }
  });
});
