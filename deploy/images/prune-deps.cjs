// Prunes a production `npm ci` of the whole workspace down to what one app needs: the app, the
// workspace packages it depends on and their dependencies (dev edges skipped), found with npm's
// own Arborist (the dependency graph npm itself uses), so hoisting and nested copies resolve as
// npm resolved them. `npm ci --workspace` cannot do this: it installs the whole lockfile.
// Writes the kept workspace dirs, one a line, to .workspaces (the Dockerfile copies their dist).
// Usage, from the install root: node prune-deps.cjs <app dir>
const { rmSync, writeFileSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');
const { execPath } = require('node:process');

const npmRoot = join(execPath, '..', '..', 'lib', 'node_modules', 'npm');
const Arborist = require(join(npmRoot, 'node_modules', '@npmcli', 'arborist'));

async function main() {
  const appDir = resolve(process.argv[2] ?? '');
  const tree = await new Arborist({ path: process.cwd() }).loadActual();
  const app = [...tree.inventory.values()].find((n) => !n.isLink && n.path === appDir);
  if (!app) throw new Error(`no workspace package at ${appDir}`);

  const keep = new Set([tree]);
  const stack = [app];
  while (stack.length) {
    const node = stack.pop();
    if (keep.has(node)) continue;
    keep.add(node);
    if (node.isLink && node.target) stack.push(node.target);
    for (const edge of node.edgesOut.values()) {
      if (edge.dev || !edge.to) continue;
      stack.push(edge.to);
    }
  }
  let removed = 0;
  for (const node of tree.inventory.values()) {
    if (keep.has(node) || node.path === tree.path) continue;
    rmSync(node.path, { recursive: true, force: true });
    removed++;
  }
  const workspaces = [...keep]
    .filter((n) => !n.isLink && n !== tree && !n.path.includes('node_modules'))
    .map((n) => relative(tree.path, n.path));
  writeFileSync('.workspaces', `${workspaces.join('\n')}\n`);
  console.log(`kept ${keep.size - 1} packages (${workspaces.join(', ')}), removed ${removed}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
