import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';

/** Where the table of every app's variables lives, relative to the repository root. */
export const ENV_DOC = join('docs', 'deploy.md');

/**
 * The variables of `schema` that the environment table of docs/deploy.md (its section
 * "Environment variables") does not list for `app`.
 * A row is `| \`NAME\` | apps | default | meaning |`, apps being `all` or a comma-separated list;
 * a name may have several rows (one per meaning). Each app's config test calls this, so a variable
 * added to a schema without its row fails the unit tests.
 */
export function undocumentedVariables(schema: z.ZodObject, app: string, from: string): string[] {
  const documented = documentedApps(readFileSync(findUp(from, ENV_DOC), 'utf8'));
  return Object.keys(schema.shape).filter((name) => {
    const apps = documented.get(name);
    return !apps || !(apps.has('all') || apps.has(app));
  });
}

/** The section of the environment table. */
export const ENV_SECTION = '## Environment variables';

/** Variable -> the apps its rows name, from the table under ENV_SECTION. */
export function documentedApps(markdown: string): Map<string, Set<string>> {
  const rows = new Map<string, Set<string>>();
  const start = markdown.indexOf(`\n${ENV_SECTION}\n`);
  if (start === -1) return rows;
  const end = markdown.indexOf('\n## ', start + ENV_SECTION.length + 2);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  for (const line of section.split('\n')) {
    const match = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|([^|]+)\|/.exec(line);
    if (!match) continue;
    const apps = rows.get(match[1]!) ?? new Set<string>();
    for (const app of match[2]!.split(',')) apps.add(app.trim());
    rows.set(match[1]!, apps);
  }
  return rows;
}

function findUp(from: string, relative: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${relative} not found above ${from}`);
  }
}
