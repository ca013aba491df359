// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'module',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'querystring',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.nx/**',
      'coverage/**',
      // Generated from the merged OpenAPI document (admin/scripts/generate-api.mjs).
      'admin/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Nest modules are classes with only decorators.
      '@typescript-eslint/no-extraneous-class': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          banTransitiveDependencies: true,
          depConstraints: [
            {
              sourceTag: 'scope:shared',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:tooling'],
            },
            // The workflow package's messages (signals, query, updates, search attributes) are its
            // public face: the orders service (its client), the launcher that registers the
            // attributes and the e2e tests import them from it.
            {
              sourceTag: 'scope:tooling',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:workflow'],
            },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared'] },
            {
              sourceTag: 'scope:service',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:workflow'],
            },
            // A host (services/workers) runs queue processors of bounded contexts: besides shared
            // libraries it imports only a context's package (its exported processors module).
            { sourceTag: 'scope:host', onlyDependOnLibsWithTags: ['scope:shared', 'type:context'] },
            { sourceTag: 'scope:workflow', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:activity', onlyDependOnLibsWithTags: ['scope:shared'] },
            {
              sourceTag: 'scope:e2e',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:workflow'],
            },
            {
              // A bench may run the workflow it measures (as the e2e tests do).
              sourceTag: 'scope:bench',
              onlyDependOnLibsWithTags: [
                'scope:shared',
                'scope:tooling',
                'scope:e2e',
                'scope:workflow',
              ],
            },
            {
              sourceTag: 'scope:temporal',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:workflow', 'scope:activity'],
            },
            // Test-only helpers may be used by any project's tests, but never by production code
            // of shared libraries.
            { sourceTag: 'type:lib', notDependOnLibsWithTags: ['type:testing', 'type:app'] },
            { sourceTag: 'type:app', notDependOnLibsWithTags: ['type:app'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts'],
    rules: {
      // Tests reach into Jest mocks and untyped JSON responses.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O.
    files: ['workflows/**/*.ts', '**/*.workflow.ts', '**/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((m) => [
            { name: m, message: 'Workflow code must be deterministic: no Node built-ins.' },
            {
              name: `node:${m}`,
              message: 'Workflow code must be deterministic: no Node built-ins.',
            },
          ]),
          patterns: [
            {
              group: ['@temporalio/activity', '@temporalio/worker', '@temporalio/client'],
              message: 'Workflows import only @temporalio/workflow and activity types.',
            },
          ],
        },
      ],
    },
  },
  {
    // The operator console runs in the browser (React).
    files: ['admin/**/*.ts', 'admin/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain CommonJS entry points and configs (they run before anything is compiled).
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
