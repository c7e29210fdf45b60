// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layers may only import downwards: main, cli → http, app, store, wecom → flows, domain → shared. */
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
  { ignores: ['node_modules/**', 'data/**', 'db/migrations/**', 'coverage/**'] },
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
      [
        '**/config/*',
        '**/wecom/*',
        '**/flows/*',
        '**/domain/*',
        '**/app/*',
        '**/store/*',
        '**/http/*',
        '**/cli/*',
        ...infra,
        ...nodeIo,
      ],
      'shared/ is the kernel: it imports nothing of the app.',
    ),
  },
  {
    files: ['src/flows/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      ...restrict(
        ['**/wecom/*', '**/app/*', '**/store/*', '**/http/*', '**/cli/*', '**/config/*', ...infra, ...nodeIo],
        'flows/ and domain/ are pure: no I/O, no framework.',
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
        '**/app/*',
        '**/store/*',
        '**/http/*',
        '**/cli/*',
        '**/flows/*',
        '**/domain/*',
        '**/config/*',
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
    files: ['src/http/**/*.ts'],
    rules: restrict(
      ['**/store/*', '**/store/**', 'ioredis', 'drizzle-orm', 'mysql2', 'better-sqlite3'],
      'http/ never touches storage; it gets what it needs from main.ts.',
    ),
  },
  {
    files: ['src/app/**/*.ts'],
    rules: restrict(
      [
        '**/store/*',
        '**/store/**',
        '**/http/*',
        '**/cli/*',
        'koa',
        'ioredis',
        'drizzle-orm',
        'mysql2',
        'better-sqlite3',
      ],
      'app/ talks to storage through ports (app/ports.ts) only.',
    ),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict(
      ['**/http/*', '**/cli/*', '**/flows/*'],
      'store/ implements ports; it does not know HTTP, the CLI or flows.',
    ),
  },
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
