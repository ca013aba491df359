/**
 * Preloaded into an app process by `bench/checkout/run.ts --profile <dir>` (node --import,
 * through NODE_OPTIONS, which refuses --cpu-prof itself): a V8 CPU profile of the measured window only,
 * from CPU_PROFILE_START_MS after start for CPU_PROFILE_MS, written to CPU_PROFILE_FILE.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const session = new Session();
session.connect();
const start = Number(process.env.CPU_PROFILE_START_MS);
const length = Number(process.env.CPU_PROFILE_MS);
setTimeout(() => {
  session.post('Profiler.enable', () =>
    session.post('Profiler.start', () => {
      setTimeout(() => {
        session.post('Profiler.stop', (error, result) => {
          if (!error) writeFileSync(process.env.CPU_PROFILE_FILE, JSON.stringify(result.profile));
        });
      }, length).unref();
    }),
  );
}, start).unref();
