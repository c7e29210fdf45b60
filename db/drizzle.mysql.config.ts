import { defineConfig } from 'drizzle-kit';

// generate + the runtime migrator only: `drizzle-kit push` crashes on MariaDB when a CHECK exists (json() adds one).
// The core tables, then every feature's and channel's own tables.
export default defineConfig({
  dialect: 'mysql',
  schema: [
    './src/store/mysql/tables.ts',
    './src/features/*/tables.mysql.ts',
    './src/channels/*/tables.mysql.ts',
  ],
  out: './db/migrations/mysql',
});
