#!/usr/bin/env node
// Entry point of `npm start`, `npm run stop` and `npm run infra:status`. Plain JavaScript so it
// can run before anything is installed: it installs what is missing, then hands over to the
// TypeScript launcher in tools/src/cli.ts (compiled on the fly by tsx).
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const [command = 'start', ...flags] = process.argv.slice(2);

function run(what, cmd, args) {
  console.log(`[commerce] ${what}: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (res.error) {
    console.error(`[commerce] ERROR: could not run ${cmd}: ${res.error.message}`);
    process.exit(1);
  }
  if (res.status !== 0) {
    console.error(`[commerce] ERROR: ${what} failed (exit ${res.status}); see the output above`);
    process.exit(res.status ?? 1);
  }
}

if (command === 'start') {
  if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
    run('installing npm dependencies', 'npm', ['ci', '--no-audit', '--no-fund']);
  }
  run('checking infrastructure tools', 'bash', ['tools/install-tools.sh']);
  if (!flags.includes('--infra-only')) {
    run('building apps', 'npx', ['nx', 'run-many', '-t', 'build', '--output-style=static']);
  }
}

require('tsx/cjs/api').register();
require('../src/cli.ts');
