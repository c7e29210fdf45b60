import { defineConfig } from 'drizzle-kit';

// generate + the runtime migrator only: `drizzle-kit push` crashes on MariaDB when a CHECK exists (json() adds one).
export default defineConfig({
  dialect: 'mysql',
  schema: './db/mysql.ts',
  out: './db/migrations/mysql',
});
