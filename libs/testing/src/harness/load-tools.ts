import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { register } from 'tsx/cjs/api';

type Tools = typeof import('@commerce/tools');

const repoRoot = resolve(__dirname, '..', '..', '..', '..');

/**
 * Jest runs globalSetup/globalTeardown outside its module registry, so neither its transform nor
 * its moduleNameMapper reach the launcher's imports. Resolve the workspace alias from tsconfig.json
 * (where aliases are declared once) and let tsx compile the launcher's TypeScript sources, so the
 * harness needs no prior build.
 */
export function loadTools(): Tools {
  const tsconfig = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const target = tsconfig.compilerOptions.paths['@commerce/tools']?.[0];
  if (!target) throw new Error('tsconfig.json declares no path for @commerce/tools');
  const tsx = register({ namespace: 'commerce-harness' });
  return tsx.require(join(repoRoot, target), __filename) as Tools;
}
