// The gateway's own Apollo Server plugins, one per file.
export { observabilityPlugin, type ObservabilityOptions } from './observability';
export { operationLimitsPlugin } from './operation-limits';
export { safelistPlugin } from './safelist';
export { apiKeyUsagePlugin, ApiKeyUsageMetrics } from './api-key-usage';
export { subgraphErrorPathsPlugin } from './subgraph-error-paths';
export { deprecatedUsagePlugin, type DeprecatedUsageOptions } from './deprecated-usage';
export { dataVersionPlugin } from './data-version';
