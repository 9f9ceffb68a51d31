// Apollo Gateway reports usage metrics to Apollo (an OpenTelemetry exporter to
// usage-reporting.api.apollographql.com, flushed hourly and when the gateway stops) unless
// APOLLO_TELEMETRY_DISABLED is `true` or `1`, and it reads that from the process environment itself.
// RegioGraph sends nothing to a third party unless its operator asks: the reporting is off unless the
// variable is set (`false` turns it on). Off also spares a stopping gateway that call: on a machine
// without internet its DNS lookup kept the process alive after everything else had closed (Jest
// force-exited the test workers that had run a gateway).

const VARIABLE = 'APOLLO_TELEMETRY_DISABLED';

/** Sets APOLLO_TELEMETRY_DISABLED=true in `env` (the process environment) unless it is set already. */
export function disableApolloTelemetryUnlessAsked(env: NodeJS.ProcessEnv = process.env): void {
  if (env[VARIABLE] === undefined || env[VARIABLE] === '') env[VARIABLE] = 'true';
}
