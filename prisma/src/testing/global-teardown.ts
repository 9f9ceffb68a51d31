export default async function globalTeardown(): Promise<void> {
  // The first database may be an embedded cluster that holds the others: it goes last.
  for (const database of (globalThis.__regiographTestDatabases ?? []).reverse()) await database.stop();
  globalThis.__regiographTestDatabases = undefined;
}
