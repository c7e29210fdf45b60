import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Longest file first, so the long ones overlap everything else instead of running last. The two process-level
 * crash suites are the longest by far (40–50 s, mostly waiting for a killed server's leases and locks to end):
 * started late they would decide the wall time on their own.
 */
const ESTIMATED_MS: Record<string, number> = {
  'test/integration/crashRecovery.e2e.test.ts': 50_000,
  'test/integration/noticesCrash.e2e.test.ts': 40_000,
  'test/integration/kfSurveyCrash.e2e.test.ts': 35_000,
};
const PROJECT_ESTIMATED_MS: Record<string, number> = { server: 10_000, contract: 2000, unit: 500 };

class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // The last run's durations when this machine has them (node_modules/.vite); estimates otherwise (CI).
    const weight = (spec: TestSpecification): number => {
      const file = relative(this.ctx.config.root, spec.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`)?.duration;
      return cached ?? ESTIMATED_MS[file] ?? PROJECT_ESTIMATED_MS[spec.project.name] ?? 0;
    };
    const weights = new Map(sorted.map((spec) => [spec, weight(spec)]));
    return sorted.toSorted((a, b) => (weights.get(b) ?? 0) - (weights.get(a) ?? 0));
  }
}

// Files that touch MariaDB/Redis get storage of their own per worker (test/workerStorage.ts), so the server suites
// too run in parallel with everything else: one pool of workers for all projects.
const isolatedStorage = ['test/workerStorage.ts'];
const contractFiles = ['test/contract/**/*.test.ts'];
const serverFiles = ['test/http/**/*.test.ts', 'test/integration/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/globalSetup.ts'],
    // More workers than the 2 cores (vitest's default here is 1): the server suites mostly wait, and a third worker
    // keeps the CPU busy meanwhile.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        // Everything not below (test/unit, test/flows, and any new folder): pure, no servers.
        test: {
          name: 'unit',
          // Pure code, no mocks: one module graph per worker instead of one per file (a third less CPU).
          isolate: false,
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...contractFiles, ...serverFiles],
        },
      },
      {
        extends: true,
        test: { name: 'contract', include: contractFiles, setupFiles: isolatedStorage },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: serverFiles,
          setupFiles: isolatedStorage,
        },
      },
    ],
  },
});
