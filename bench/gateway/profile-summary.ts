/**
 * Top self-time functions of a V8 CPU profile (`node --cpu-prof`), as a Markdown table:
 *
 *   npx tsx bench/gateway/profile-summary.ts <file.cpuprofile> [--top 25]
 *
 * Shares are of the busy samples (idle time excluded). Functions are grouped by name and file
 * (package name for node_modules, `node:` for Node's own), so the table reads as "who spends the CPU".
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

/** `node_modules/@fastify/reply-from/index.js` -> `@fastify/reply-from`; Node's own -> `node:x`. */
export function ownerOf(url: string): string {
  if (url === '') return '(native)';
  if (url.startsWith('node:')) return url;
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match?.[1]) return match[1];
  const repo = /\/(gateway|libs\/[^/]+)\/(?:dist|src)\/(.+)$/.exec(url);
  if (repo) return `${repo[1]}/${repo[2]}`;
  return url.replace(/^file:\/\//, '');
}

const SOCKET_WRITES = new Set(['writev', 'writeUtf8String', 'writeLatin1String', 'writeBuffer']);

/** What a sample was spent on, in the terms the gateway's per-request path is discussed in. */
export function concernOf(frame: ProfileNode['callFrame']): string {
  const { functionName: name, url } = frame;
  if (SOCKET_WRITES.has(name)) return 'socket writes (both legs, Redis)';
  if (name === '(garbage collector)') return 'garbage collection';
  if (url.includes('internal/crypto') || url.includes('/jose/')) return 'token signature (jose)';
  if (/@nestjs\/|reflect-metadata|rxjs/.test(url)) return 'Nest (guards, router, reflector)';
  if (/pino|middie|async_hooks/.test(url)) return 'request logging (pino-http, ALS)';
  if (/ioredis|throttler/.test(url)) return 'Redis client, rate limiter';
  if (/undici|reply-from|opossum/.test(url)) return 'relay (undici, reply-from, opossum)';
  if (/modules\/cjs|package_json/.test(url) || name === 'wrapSafe') return 'start-up (loading)';
  return 'other (Node http, streams, fastify, ...)';
}

export function summarise(profile: CpuProfile, top: number) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const byOwner = new Map<string, number>();
  const byConcern = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples) {
    const frame = byId.get(id)?.callFrame;
    // `(program)` is native work outside JavaScript (socket I/O, compiling): busy, so counted.
    if (!frame || frame.functionName === '(idle)') continue;
    busy += 1;
    const owner = ownerOf(frame.url);
    const name = `${frame.functionName || '(anonymous)'} (${owner})`;
    self.set(name, (self.get(name) ?? 0) + 1);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + 1);
    const concern = concernOf(frame);
    byConcern.set(concern, (byConcern.get(concern) ?? 0) + 1);
  }
  const rank = (counts: Map<string, number>) =>
    [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { busy, functions: rank(self), owners: rank(byOwner), concerns: rank(byConcern) };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--top N]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const { busy, functions, owners, concerns } = summarise(profile, Number(values.top));
  const pct = (n: number) => ((100 * n) / busy).toFixed(1);
  console.log(`busy samples: ${busy}\n`);
  console.log('| self % | function (where) |\n| --- | --- |');
  for (const [name, count] of functions) console.log(`| ${pct(count)} | ${name} |`);
  console.log('\n| self % | where |\n| --- | --- |');
  for (const [owner, count] of owners) console.log(`| ${pct(count)} | ${owner} |`);
  console.log('\n| self % | spent on |\n| --- | --- |');
  for (const [concern, count] of concerns) console.log(`| ${pct(count)} | ${concern} |`);
}

main();
