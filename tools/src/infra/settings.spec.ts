import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readToolVersions, toolBinary } from './settings';

describe('tool settings', () => {
  it('reads every pinned version from tools/versions.sh', () => {
    expect(readToolVersions()).toEqual({
      TEMPORAL_CLI_VERSION: 'v1.5.1',
      FERRETDB_VERSION: 'v1.24.2',
      STRIPE_MOCK_VERSION: 'v0.197.0',
      MAILPIT_VERSION: 'v1.33.1',
    });
  });

  it('ignores lines that are not version pins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'versions-'));
    const file = join(dir, 'versions.sh');
    writeFileSync(
      file,
      '# comment\nFOO_VERSION=v1\nTOOLS_HOME="x"\n  BAR_VERSION=v2  \nBAD_VERSION=\n',
    );
    expect(readToolVersions(file)).toEqual({ FOO_VERSION: 'v1', BAR_VERSION: 'v2' });
  });

  it('places binaries in the per-user cache, keyed by tool and version', () => {
    const previous = process.env.COMMERCE_TOOLS_HOME;
    process.env.COMMERCE_TOOLS_HOME = '/cache/tools';
    try {
      expect(toolBinary('temporal')).toBe('/cache/tools/temporal/v1.5.1/bin/temporal');
      expect(toolBinary('stripe-mock')).toBe('/cache/tools/stripe-mock/v0.197.0/bin/stripe-mock');
    } finally {
      if (previous === undefined) delete process.env.COMMERCE_TOOLS_HOME;
      else process.env.COMMERCE_TOOLS_HOME = previous;
    }
  });
});
