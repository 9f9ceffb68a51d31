/**
 * The fingerprints of what this subgraph's seed wrote, release by release, oldest first; the last is
 * this release's (subgraph-kit's shipped-data.ts). A start seeds when its database holds an earlier
 * one or none, and leaves data a later release seeded. The seed test recomputes the last: after a
 * change to the shipped data or to how the seed derives records from it, append the value that test
 * prints (never edit or remove an entry: databases hold them).
 */
export const SHIPPED_DATA_FINGERPRINTS: readonly string[] = [
  'c96b2a14f88d5f5d5fd80569ae8ecd8a46d637b87127f88ed695dafc55f32c16',
  'cbd575b12817ddc43884154025bce5a9edea6837b99cab078b7226a821640bf3',
];
