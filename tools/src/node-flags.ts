/**
 * Node flags and environment every app process runs with, here (npm start, the test and bench
 * stacks) and in the images (deploy/Dockerfile sets the same as NODE_OPTIONS and ENV;
 * node-flags.spec.ts keeps them equal). docs/benchmarks.md ("Idle memory") has the figures.
 *
 * `--max-semi-space-size=4`: V8's young generation is two semi-spaces of up to 16 MB each by
 * default; once a start-up has grown them, an idle process keeps all 32 MB resident. Capped at
 * 4 MB they hold 8 MB: about 25 MB less resident memory per process and per Temporal workflow
 * thread. The cost is more frequent scavenges under load; CPU time per request stayed within the
 * noise of its measurement (docs/deploy.md).
 *
 * `--expose-gc`: lets the kit collect once after start-up (`collectStartupGarbage`), when the
 * heap still holds what loading and wiring the app left behind.
 */
export const APP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--expose-gc'];

/**
 * `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates its own malloc arena (up to eight
 * per core); the Temporal worker's native core, V8's platform threads and libuv's pool each kept
 * a partly used one resident. Two arenas cost no measurable CPU here and about 10 MB per worker.
 */
export const APP_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
