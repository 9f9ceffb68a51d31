export default async function globalTeardown(): Promise<void> {
  await globalThis.__regiographTestDatabase?.stop();
  globalThis.__regiographTestDatabase = undefined;
}
