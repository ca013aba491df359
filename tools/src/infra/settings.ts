import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Repository root (tools/src/infra -> ../../..). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Tool versions are pinned once, in tools/versions.sh, which the Go build script also sources. */
export function readToolVersions(
  file = join(REPO_ROOT, 'tools', 'versions.sh'),
): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z_]+_VERSION)=(\S+)$/.exec(line.trim());
    if (m?.[1] && m[2]) versions[m[1]] = m[2];
  }
  return versions;
}

function cacheHome(): string {
  return process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
}

/** Per-user build cache shared by every clone (and by CI's fresh clone). */
export function toolsHome(): string {
  return process.env.COMMERCE_TOOLS_HOME || join(cacheHome(), 'commerce-tools');
}

/** Runtime state (SQLite files, logs, pid registry): outside git, per user. */
export function dataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return process.env.COMMERCE_DATA_DIR || join(base, 'commerce');
}

export function toolBinary(name: 'temporal' | 'ferretdb' | 'stripe-mock' | 'mailpit'): string {
  const key = `${name.replace('-', '_').toUpperCase()}_VERSION`;
  const versions = readToolVersions();
  const version = key === 'TEMPORAL_VERSION' ? versions.TEMPORAL_CLI_VERSION : versions[key];
  if (!version) throw new Error(`tools/versions.sh does not pin a version for ${name}`);
  return join(toolsHome(), name, version, 'bin', name);
}

/** Fixed local endpoints. They match the defaults of every app's config. */
export const Endpoint = {
  postgres: { host: '127.0.0.1', port: 5432, user: 'postgres' },
  redis: { host: '127.0.0.1', port: 6379 },
  temporal: { host: '127.0.0.1', port: 7233, uiPort: 8233, httpPort: 7243, metricsPort: 7235 },
  ferretdb: { host: '127.0.0.1', port: 27017, debugPort: 27080 },
  stripeMock: { host: '127.0.0.1', port: 12111 },
  mailpit: { host: '127.0.0.1', smtpPort: 1025, httpPort: 8025 },
} as const;

/** One PostgreSQL database per service (DESIGN §3); FerretDB keeps its documents in its own. */
export const SERVICE_DATABASES = [
  'commerce_auth',
  'commerce_products',
  'commerce_orders',
  'commerce_payments',
  'commerce_analytics',
  'commerce_ferretdb',
] as const;
