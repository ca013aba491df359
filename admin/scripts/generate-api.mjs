// Regenerates src/api/schema.d.ts from the merged OpenAPI document a running gateway serves
// (`npm start`, then `npm run generate -w admin`; GATEWAY_URL to point elsewhere). The file is
// committed, so the console builds without a running stack; the browser tests check it still
// matches the document of the stack they start.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderApiTypes } from './render-api.mjs';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';
const res = await fetch(`${gateway}/docs-json`);
if (!res.ok) throw new Error(`GET ${gateway}/docs-json answered ${res.status}`);
const target = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));
await writeFile(target, await renderApiTypes(await res.json()));
console.log(`wrote ${target}`);
