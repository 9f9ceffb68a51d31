/**
 * The fingerprints of what this subgraph's seed wrote, release by release, oldest first; the last is
 * this release's (subgraph-kit's shipped-data.ts). A start seeds when its database holds an earlier
 * one or none, and leaves data a later release seeded. The seed test recomputes the last: after a
 * change to the shipped data or to how the seed derives records from it, append the value that test
 * prints (never edit or remove an entry: databases hold them).
 */
export const SHIPPED_DATA_FINGERPRINTS: readonly string[] = [
  '1440ad97176d42fef47cbb8cdbfbabe029c7ca54923bab285987cf4e6f5c0c86',
  '8a8c5fbfb29b24a27cb737bd2cec851fad43af38bb2a7fd3309cc83d64e3bf91',
];
