import { ChildApp, REPO_ROOT } from '@commerce/testing';
import { join } from 'node:path';

export { freePort } from '@commerce/testing';

const logDir = join(REPO_ROOT, 'e2e', '.logs');

/**
 * One app running from its build output (`<dir>/dist/main.js`) as a separate process, exactly as
 * `npm start` runs it, with its own environment. Output goes to e2e/.logs/<name>-<port>.log.
 */
export class AppProcess {
  private app?: ChildApp;
  readonly url: string;
  readonly logFile: string;

  constructor(
    readonly name: string,
    private readonly dir: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.logFile = join(logDir, `${name}-${port}.log`);
  }

  get pid(): number | undefined {
    return this.app?.pid;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    this.app = await ChildApp.start({
      name: this.name,
      dir: this.dir,
      port: this.port,
      env: { NODE_ENV: 'test', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...this.env },
      logFile: this.logFile,
      startTimeoutMs: timeoutMs,
    });
  }

  /** Graceful stop (SIGTERM) or a crash (SIGKILL, as a fault test wants). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.app?.stop(signal);
  }
}
