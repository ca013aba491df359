// Adds a `test` (this project's unit tests) and a `typecheck` (this project's sources and tests)
// target to every workspace project, so `nx affected -t typecheck test` and Nx's cache work per
// project in a developer's loop. The project's own tsconfig.json (extending the root one, which
// holds the path aliases) decides what `typecheck` covers. Plain CommonJS: Nx loads it as is.
const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** @type {[string, (files: readonly string[], options: unknown, context: { workspaceRoot: string }) => Promise<unknown[]>]} */
const createNodesV2 = [
  '{libs/*,services/*,gateway,admin,workflows,activities,temporal,tools,e2e,bench}/package.json',
  async (files, _options, context) =>
    files.map((file) => {
      const root = dirname(file);
      const targets = {
        test: {
          // Jest matches test paths as absolute paths: anchor the pattern at this project.
          command: `jest --selectProjects unit --passWithNoTests --testPathPatterns "^${join(context.workspaceRoot, root)}/"`,
          options: { cwd: '{workspaceRoot}' },
          cache: true,
          inputs: [
            'default',
            '^production',
            '{workspaceRoot}/jest.config.js',
            '{workspaceRoot}/tsconfig.json',
          ],
        },
      };
      if (existsSync(join(context.workspaceRoot, root, 'tsconfig.json'))) {
        targets.typecheck = {
          command: 'tsc --noEmit -p {projectRoot}/tsconfig.json',
          options: { cwd: '{workspaceRoot}' },
          cache: true,
          inputs: [
            'default',
            '^production',
            '{workspaceRoot}/tsconfig.base.json',
            '{workspaceRoot}/tsconfig.json',
          ],
        };
      }
      return [file, { projects: { [root]: { targets } } }];
    }),
];

module.exports = { name: 'commerce-project-targets', createNodesV2, createNodes: createNodesV2 };
