// Regenerates src/api/schema.d.ts from the merged OpenAPI document a running gateway serves
// (`npm start`, then `npm run generate -w admin`; GATEWAY_URL to point elsewhere). The file is
// committed, so the console builds without a running stack; the browser tests run it with
// `--check`, which fails when the committed file no longer matches the stack's document.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderApiTypes } from './render-api.mjs';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';
const res = await fetch(`${gateway}/docs-json`);
if (!res.ok) throw new Error(`GET ${gateway}/docs-json answered ${res.status}`);
const target = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));
const rendered = await renderApiTypes(await res.json());
if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8');
  if (committed !== rendered) {
    const a = committed.split('\n');
    const b = rendered.split('\n');
    const line = a.findIndex((text, index) => text !== b[index]);
    console.error(`${target} is stale: run npm run generate -w admin against a running gateway`);
    console.error(`first difference at line ${line + 1}:\n- ${a[line]}\n+ ${b[line]}`);
    process.exit(1);
  }
  console.log(`${target} matches ${gateway}/docs-json`);
} else {
  await writeFile(target, rendered);
  console.log(`wrote ${target}`);
}
