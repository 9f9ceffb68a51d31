// Fails when the Prisma schema and the checked-in migrations have drifted apart, printing the SQL
// a new migration would need. Optional arguments: a schema folder and a migrations folder.
import { diffMigrationsToSchema } from '../schema-diff';

const [schemaDir, migrationsDir] = process.argv.slice(2);

diffMigrationsToSchema({ schemaDir, migrationsDir })
  .then((sql) => {
    if (sql.trim() !== '') {
      console.error('The Prisma schema and prisma/migrations have drifted apart. Missing SQL:\n' + sql);
      console.error('Create a migration: npm run migration:new -w @regiograph/db -- <name>');
      process.exit(1);
    }
    console.log('Prisma schema and migrations agree.');
    // PGlite's PostgreSQL leaves a 10 s timer behind even when closed: waiting for it would only
    // hold up npm test.
    process.exit(0);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
