// Test tiers (DESIGN §6): `unit` (*.spec.ts, no I/O), `integration` (*.int-spec.ts, real servers
// started once per run by the harness in libs/testing), `workflow` (*.workflow-spec.ts), `e2e` (*.e2e-spec.ts, every app as its
// own process from its build, driven through the gateway), `security` (*.security-spec.ts, attacks
// on that stack from distinct loopback addresses) and `browser` (*.browser-spec.ts, the operator
// console in Chromium against that stack). TypeScript is compiled by SWC with legacy
// decorators and metadata, which Nest's dependency injection needs.
const { readFileSync } = require('node:fs');
const path = require('node:path');

// Workspace aliases are declared once, in tsconfig.json, and derived here.
function moduleNameMapperFromTsconfig() {
  const tsconfig = JSON.parse(readFileSync(path.join(__dirname, 'tsconfig.json'), 'utf8'));
  const mapper = {};
  for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
    mapper[`^${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`] = `<rootDir>/${target}`;
  }
  return mapper;
}

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: moduleNameMapperFromTsconfig(),
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  reporters: ['default', '<rootDir>/libs/testing/src/harness/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/harness/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/harness/timeout-60s.js'],
    },
    {
      // The checkout workflow on the real dev server with stubbed activities, plus replay of the
      // recorded histories. Its own project, so Temporal's native runtime stays out of the others.
      ...common,
      displayName: 'workflow',
      testMatch: ['<rootDir>/**/*.workflow-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/harness/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/harness/timeout-60s.js'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/harness/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/harness/timeout-120s.js'],
    },
    {
      // The attacks a stranger can run, each from its own loopback address, against the whole
      // stack as separate processes (like e2e), plus hostile input from the OpenAPI document.
      ...common,
      displayName: 'security',
      testMatch: ['<rootDir>/e2e/**/*.security-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/harness/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/harness/timeout-120s.js'],
    },
    {
      // The operator console in a real Chromium (Debian's package, driven by playwright-core)
      // against the whole stack as separate processes, like e2e.
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/e2e/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/harness/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/harness/timeout-120s.js'],
    },
  ],
};
