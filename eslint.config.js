// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Dependency direction: main, cli → http, channels, features → core → flows, wecom → shared; store implements
 * the core ports; every feature domain folder and flows/ are pure.
 */
const LAYERS = ['config', 'wecom', 'flows', 'core', 'features', 'channels', 'store', 'http', 'cli'];
/** Every feature folder: each gets its own import rule (others only through their index.ts). */
const FEATURES = readdirSync(join(import.meta.dirname, 'src', 'features'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
const infra = [
  'koa',
  '@koa/router',
  'ioredis',
  'drizzle-orm',
  'drizzle-orm/*',
  'mysql2',
  'mysql2/*',
  'better-sqlite3',
  'pino',
];
const nodeIo = ['node:fs', 'node:fs/*', 'fs', 'node:http', 'node:net', 'node:child_process', 'node:process'];

function restrict(patterns, message) {
  return {
    'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'db/migrations/**', 'coverage/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type-aware: the rules below need the types (tsconfig.json's program, found per file by the project service).
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // A switch over a union names every member (the house pattern ends it with `default: assertNever(x)`); a
      // `default` alone does not make it exhaustive, so a member added later is reported where it is not handled.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        {
          considerDefaultExhaustiveForUnions: false,
          allowDefaultCaseForExhaustiveSwitch: true,
          requireDefaultForNonUnion: false,
        },
      ],
      // A promise nobody awaits fails silently (an unhandled rejection at best); `void` marks the intended ones.
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  // Plain JavaScript (this file) is not in the TypeScript program.
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      [...LAYERS.map((l) => `**/${l}/**`), ...infra, ...nodeIo],
      'shared/ is the kernel: it imports nothing of the app.',
    ),
  },
  {
    // Pure: the flow engine, the language matcher and every feature's domain rules. No I/O, no framework, no clock.
    files: ['src/flows/**/*.ts', 'src/nlu/**/*.ts', 'src/features/*/domain/**/*.ts'],
    rules: {
      ...restrict(
        [
          ...['wecom', 'core', 'store', 'http', 'cli', 'config', 'channels', 'features'].map(
            (l) => `**/${l}/**`,
          ),
          ...infra,
          ...nodeIo,
        ],
        'flows/, nlu/ and features/*/domain are pure: no I/O, no framework, no pipeline.',
      ),
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'pure modules do no I/O' },
        { name: 'process', message: 'pure modules do not read the process' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'the caller passes `now`' },
      ],
    },
  },
  {
    files: ['src/wecom/**/*.ts'],
    rules: restrict(
      [
        ...['core', 'features', 'channels', 'store', 'http', 'cli', 'flows', 'config'].map(
          (l) => `**/${l}/**`,
        ),
        'koa',
        'ioredis',
        'drizzle-orm',
        'mysql2',
        'better-sqlite3',
      ],
      'wecom/ is the protocol: it knows nothing of the app, flows or storage.',
    ),
  },
  {
    // The pipeline: it gets the features from main.ts (the registry), never imports one.
    files: ['src/core/**/*.ts'],
    rules: restrict(
      [
        ...['features', 'channels', 'http', 'cli', 'config'].map((l) => `**/${l}/**`),
        'koa',
        '@koa/router',
        'ioredis',
        'mysql2',
        'mysql2/*',
        'better-sqlite3',
        'drizzle-orm',
        'drizzle-orm/*',
      ],
      'core/ imports no feature, channel or framework: features and channels come in through the registry.',
    ),
  },
  {
    files: ['src/http/**/*.ts'],
    rules: restrict(
      ['**/store/**', '**/features/**', 'ioredis', 'drizzle-orm', 'mysql2', 'better-sqlite3'],
      'http/ never touches storage or a feature; it mounts what main.ts gives it.',
    ),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict(
      ['**/http/**', '**/cli/**', '**/flows/**', '**/features/**', '**/channels/**'],
      'store/ implements the core ports; it knows nothing of HTTP, the CLI, flows or features.',
    ),
  },
  {
    files: ['src/channels/**/*.ts'],
    rules: restrict(['**/features/**', '**/http/**', '**/cli/**'], 'a channel knows no feature.'),
  },
  // A feature imports another only through that one's index.ts (one block per feature folder).
  ...FEATURES.map((name) => ({
    files: [`src/features/${name}/**/*.ts`],
    ignores: [`src/features/${name}/domain/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `(^|/)(${FEATURES.filter((f) => f !== name).join('|') || '$^'})/(?!index\\.js$)`,
              message: `a feature imports another only through its index.ts`,
            },
            {
              group: ['**/http/**', '**/cli/**', '**/channels/**'],
              message: 'features do not know HTTP, the CLI or channels',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/cli/**', 'src/config/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'only config/ reads process.env (via main.ts or cli/).',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
