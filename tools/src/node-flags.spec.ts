import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './infra/settings';
import { APP_ENV, APP_NODE_FLAGS } from './node-flags';

describe('app node flags', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8');

  it('are the NODE_OPTIONS of the production images', () => {
    const set = /^ENV NODE_OPTIONS="?([^"\n]*)"?$/m.exec(dockerfile)?.[1];
    expect(set?.split(/\s+/)).toEqual(APP_NODE_FLAGS);
  });

  it.each(Object.entries(APP_ENV))('%s is set in the production images too', (name, value) => {
    expect(dockerfile).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
  });
});
