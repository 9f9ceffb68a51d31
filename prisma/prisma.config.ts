import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The stock Prisma CLI reads this file. DATABASE_URL is only needed for `prisma migrate deploy`
// run by teams that have Prisma's native engine; this project applies migrations itself.
export default defineConfig({
  schema: path.join(__dirname, 'schema'),
  migrations: { path: path.join(__dirname, 'migrations') },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/regiograph' },
});
