/** Where the global setup leaves the URL of Jest worker `worker`'s database. */
export function workerDatabaseEnv(worker: number | string): string {
  return `TEST_DATABASE_URL_WORKER_${worker}`;
}
