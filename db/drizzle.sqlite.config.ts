import { defineConfig } from 'drizzle-kit';

// One config and one migrations folder per dialect: drizzle has no dialect-neutral schema. The core tables, then
// every feature's and channel's own tables.
export default defineConfig({
  dialect: 'sqlite',
  schema: [
    './src/store/sqlite/tables.ts',
    './src/features/*/tables.sqlite.ts',
    './src/channels/*/tables.sqlite.ts',
  ],
  out: './db/migrations/sqlite',
});
