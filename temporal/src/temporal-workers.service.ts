import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TaskQueue, taskQueueName } from '@commerce/contracts';
import { InjectConfig, ROOT_LOGGER, temporalConnectionOptions } from '@commerce/nest-kit';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { activitiesFor } from './activities-for-role';
import type { WorkerConfig, WorkerRole } from './config';
import { bundleWorkflows } from './workflow-bundle';

/** The bundle `npm run build` writes next to the compiled worker. */
export const PREBUILT_BUNDLE = join(__dirname, 'workflows.bundle.js');

/**
 * Runs one Temporal Worker per configured role (the checkout workflows, or one domain's
 * activities), each polling its own task queue, so every role can run as its own process and scale
 * on its own. Started after the app is up; drained before it closes.
 */
@Injectable()
export class TemporalWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private connection: NativeConnection | undefined;
  private readonly workers = new Map<WorkerRole, Worker>();
  private running: Promise<unknown> | undefined;
  private failure: Error | undefined;

  constructor(
    @InjectConfig() private readonly config: WorkerConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const config = this.config;
    // TLS, mTLS, the API key and metadata come from the config (the SDK does the TLS itself).
    this.connection = await NativeConnection.connect(temporalConnectionOptions(config));
    for (const role of config.WORKER_ROLES) {
      this.workers.set(role, await Worker.create(await this.optionsFor(role, this.connection)));
    }
    // Worker.run() resolves on shutdown and rejects on a fatal error: either way readiness fails.
    this.running = Promise.all(
      [...this.workers.entries()].map(([role, worker]) =>
        worker.run().catch((error: unknown) => {
          this.failure = error instanceof Error ? error : new Error(String(error));
          this.logger.error({ err: this.failure, role }, `temporal worker ${role} failed`);
          // A worker that died cannot come back in this process: exit so the supervisor restarts it.
          process.exitCode = 1;
          process.kill(process.pid, 'SIGTERM');
        }),
      ),
    );
    this.logger.info(
      { roles: config.WORKER_ROLES, namespace: config.TEMPORAL_NAMESPACE },
      `temporal workers running: ${config.WORKER_ROLES.join(', ')}`,
    );
  }

  /** For readiness: every worker polling. */
  check(): void {
    if (this.failure) throw this.failure;
    for (const [role, worker] of this.workers) {
      if (worker.getState() !== 'RUNNING')
        throw new Error(`worker ${role} is ${worker.getState()}`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const worker of this.workers.values()) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    }
    await this.running;
    await this.connection?.close();
  }

  private async optionsFor(role: WorkerRole, connection: NativeConnection): Promise<WorkerOptions> {
    const config = this.config;
    const common = {
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: taskQueueName(role, config.TEMPORAL_TASK_QUEUE_PREFIX),
      shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_MS,
    };
    if (role === 'checkout') {
      return {
        ...common,
        ...(await this.workflowCode()),
        maxConcurrentWorkflowTaskExecutions: config.MAX_CONCURRENT_WORKFLOW_TASKS,
        maxCachedWorkflows: config.MAX_CACHED_WORKFLOWS,
        // The checkout's records in the orders service run here as local activities (the
        // workflow's LOCAL_ORDER_RECORDS); this role polls no activity queue of its own.
        activities: activitiesFor(TaskQueue.orders, config),
        enableNonLocalActivities: false,
      };
    }
    return {
      ...common,
      activities: activitiesFor(role, config),
      maxConcurrentActivityTaskExecutions: config.MAX_CONCURRENT_ACTIVITIES,
    };
  }

  /** A bundle built ahead of time when there is one; bundling at start is for development. */
  private async workflowCode(): Promise<Pick<WorkerOptions, 'workflowBundle'>> {
    const path = this.config.WORKFLOW_BUNDLE_PATH ?? PREBUILT_BUNDLE;
    if (existsSync(path)) return { workflowBundle: { codePath: path } };
    if (this.config.NODE_ENV === 'production') {
      throw new Error(`workflow bundle ${path} not found: run npm run build`);
    }
    this.logger.warn(`no workflow bundle at ${path}; bundling the workflows at start`);
    return { workflowBundle: await bundleWorkflows() };
  }
}
