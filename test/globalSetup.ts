/**
 * Server suites (MariaDB / Redis) run when TEST_DATABASE_URL / TEST_REDIS_URL are set. Locally they may be
 * skipped with a warning; with CI set, a missing setting fails the whole run instead of skipping silently.
 */
export default function setup(): void {
  const missing = ['TEST_DATABASE_URL', 'TEST_REDIS_URL'].filter((k) => !process.env[k]);
  if (missing.length === 0) return;
  if (process.env.CI) {
    throw new Error(
      `CI is set but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not: the server suites may not be skipped.`,
    );
  }
  // Every vitest project runs this setup; warn once.
  if (process.env.XIESHANG_SKIP_WARNED) return;
  process.env.XIESHANG_SKIP_WARNED = '1';
  console.warn(
    `⚠ ${missing.join(', ')} not set: MariaDB/Redis suites are SKIPPED. Run them with:\n` +
      '  TEST_DATABASE_URL=mysql://root@127.0.0.1:3306/test TEST_REDIS_URL=redis://127.0.0.1:6379/15 npm test',
  );
}
