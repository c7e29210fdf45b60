import { defineConfig } from 'drizzle-kit';

// One config and one migrations folder per dialect: drizzle has no dialect-neutral schema.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/sqlite.ts',
  out: './db/migrations/sqlite',
});
