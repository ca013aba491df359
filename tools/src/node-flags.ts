/**
 * Node flags every app process runs with, here (npm start, the test and bench stacks) and in the
 * images (deploy/Dockerfile sets the same as NODE_OPTIONS; node-flags.spec.ts keeps them equal).
 *
 * `--max-semi-space-size=4`: V8's young generation is two semi-spaces of up to 16 MB each by
 * default; once a start-up has grown them, an idle process keeps all 32 MB resident. Capped at
 * 4 MB they hold 8 MB: about 25 MB less resident memory per process and per Temporal workflow
 * thread (docs/benchmarks.md, "Idle memory"). The cost is more frequent scavenges under load;
 * CPU time per request stayed within the noise of its measurement (docs/deploy.md).
 */
export const APP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
