import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './infra/settings';
import { APP_NODE_FLAGS } from './node-flags';

describe('app node flags', () => {
  it('are the NODE_OPTIONS of the production images', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8');
    const set = /^ENV NODE_OPTIONS=(.*)$/m.exec(dockerfile)?.[1];
    expect(set?.split(/\s+/)).toEqual(APP_NODE_FLAGS);
  });
});
