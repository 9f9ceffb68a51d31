// The image's HEALTHCHECK: asks the running service for /health (or the path given as the first
// argument, e.g. /ready), with no curl or wget in the image. The one-shot migrate job has none.
const service = process.env.SERVICE;
if (service === 'migrate') process.exit(0);

// The default ports come from the one registry (shared/src/services.ts), which imports nothing, so
// this loads no more than that file; every service image holds shared.
const { DEFAULT_PORTS } = require('@regiograph/shared/dist/services');
const port = process.env.PORT || DEFAULT_PORTS[service];
const path = process.argv[2] || '/health';
fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
