import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `db/migrations/<dialect>` of this installation, found from this module upwards: the same answer whether the code
 * runs from the sources (src/store/…) or from the one-file build `npm start` runs (build/main.js).
 */
export function migrationsFolder(dialect: 'sqlite' | 'mysql'): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'db', 'migrations', dialect);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir)
      throw new Error(`db/migrations/${dialect} not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}
