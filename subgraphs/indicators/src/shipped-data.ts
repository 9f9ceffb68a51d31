/**
 * The fingerprints of what this subgraph's seed wrote, release by release, oldest first; the last is
 * this release's (subgraph-kit's shipped-data.ts). A start seeds when its database holds an earlier
 * one or none, and leaves data a later release seeded. The seed test recomputes the last: after a
 * change to the shipped data or to how the seed derives records from it, append the value that test
 * prints (never edit or remove an entry: databases hold them).
 */
export const SHIPPED_DATA_FINGERPRINTS: readonly string[] = [
  '615bbe86b1f9e5b128b52636475228d993ad6fabdbb9b6925029951315ad47b0',
  // Attributions that name every source and the licence text; observations computed from the regions
  // within say so (aggregated); the synthetic indicators' units in German.
  'cf0bcbf1b98e6ffd54b4d3f0aea8c42f90a23a308470415ff580c0d76ecb4853',
  // gdp_per_inhabitant_inkar's description and break notes name Braunschweig's divergence from the regional accounts.
  '4239b41aec81025ea4839c67db0c748a9ab0a579f456581b437b01d88dffb491',
  // A Samtgemeinde or county whose municipalities lack a value is MISSING with the reason
  // ("Not aggregated: 4 of 10 municipalities lack a value"), as a district lacking a county is.
  'dbbb62d722716af763bc9557ac882ae683dd756ede875ee42b274a2cb00829c1',
  // RegioGraph's reasons for a missing value as their structure (own_missing_reason), not English text.
  '2c10ca831bfeaaa967cb0c7652dbfa3c59821f1e206d49c9345f0ae9f75171fc',
  // Values computed by a formula say so (derived), apart from a figure a source published of a derived indicator.
  '0f768026129ffb4064305520ea3a0817d7c3a919a8d73404176b9e3100da438f',
];
