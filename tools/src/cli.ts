/**
 * `npm start` / `npm run stop` / `npm run infra:status`.
 *
 *   start [--infra-only] [--detach]  start what is not running, print the URLs, and (unless
 *                                    --detach) stay in the foreground until Ctrl-C, which stops
 *                                    everything this command started.
 *   stop                             stop every process a start left running.
 *   status                           what answers, and what we manage.
 */
import { startApps } from './apps';
import { InfraError, infraStatus, startInfra, stopRegistered } from './infra/infra';
import { isOurs, readRegistry } from './infra/processes';

const log = (line: string) => console.log(`[commerce] ${line}`);

async function main(argv: string[]): Promise<number> {
  const [command = 'start', ...flags] = argv;
  switch (command) {
    case 'start':
      return start(flags.includes('--infra-only'), flags.includes('--detach'));
    case 'stop': {
      const stopped = await stopRegistered(undefined, log);
      log(stopped.length ? 'stopped' : 'nothing to stop');
      return 0;
    }
    case 'status':
      for (const s of await infraStatus()) {
        const who = s.managedPid ? `started by us, pid ${s.managedPid}` : 'external';
        log(
          `${s.name.padEnd(12)} ${s.answering ? 'up  ' : 'DOWN'} (${who}) ${Object.values(s.urls).join(' ')}`,
        );
      }
      return 0;
    default:
      console.error(`unknown command "${command}" (use start, stop or status)`);
      return 2;
  }
}

async function start(infraOnly: boolean, detach: boolean): Promise<number> {
  const infra = await startInfra({ log });
  const apps = infraOnly
    ? { started: [], urls: {} }
    : await startApps(log).catch(async (err) => {
        await stopRegistered(infra.started, log);
        throw err;
      });
  const started = [...infra.started, ...apps.started];

  const status = await infraStatus();
  const url = (name: string, key: string) => status.find((s) => s.name === name)?.urls[key] ?? '';
  console.log(
    [
      '',
      'Commerce stack is up:',
      ...Object.entries(apps.urls).map(([k, v]) => `  ${k.padEnd(16)} ${v}`),
      `  Temporal UI      ${url('temporal', 'ui')}`,
      `  Temporal gRPC    ${url('temporal', 'grpc')}`,
      `  Mail UI          ${url('mailpit', 'ui')}`,
      `  Stripe (mock)    ${url('stripe-mock', 'api')}`,
      `  MongoDB (Ferret) ${url('ferretdb', 'mongodb')}`,
      '',
    ].join('\n'),
  );

  if (detach || started.length === 0) {
    log(
      started.length
        ? 'left running in the background; stop with: npm run stop'
        : 'everything was already running',
    );
    return 0;
  }
  log('press Ctrl-C to stop what this command started');
  await new Promise<void>((resolve) => {
    // Watching the started processes also keeps the event loop (and so this launcher) alive.
    const reported = new Set<string>();
    const watchdog = setInterval(() => {
      for (const entry of readRegistry().filter((e) => started.includes(e.name))) {
        if (!reported.has(entry.name) && !isOurs(entry)) {
          reported.add(entry.name);
          log(`WARNING: ${entry.name} exited unexpectedly; see ${entry.log}`);
        }
      }
    }, 2000);
    const stop = () => {
      clearInterval(watchdog);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
  });
  log('stopping...');
  await stopRegistered(started, log);
  log('stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof InfraError) console.error(`[commerce] ERROR: ${err.message}`);
    else console.error('[commerce] ERROR:', err);
    process.exit(1);
  },
);
