// Preloaded into the gateway by `bench/gateway/run.ts --cpu-prof <dir>` (NODE_OPTIONS=--require):
// Node 20 refuses --cpu-prof in NODE_OPTIONS, and the bench starts apps the way the tests do,
// without extra node arguments. Same profile as --cpu-prof, through the inspector API: started
// here, written to $CPU_PROFILE_DIR when the process exits (the gateway exits on SIGTERM).
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    // An in-process session answers synchronously, so this runs before the process is gone.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(join(dir, `gateway-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
