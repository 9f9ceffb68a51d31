/**
 * The fingerprints of what this subgraph's seed wrote, release by release, oldest first; the last is
 * this release's (subgraph-kit's shipped-data.ts). A start seeds when its database holds an earlier
 * one or none, and leaves data a later release seeded. The seed test recomputes the last: after a
 * change to the shipped data or to how the seed derives records from it, append the value that test
 * prints (never edit or remove an entry: databases hold them).
 */
export const SHIPPED_DATA_FINGERPRINTS: readonly string[] = ['cdcdf2d384e35797fe918713b96cf29a1956a0a0c0cf08ffe8c12cebf10f81aa'];
