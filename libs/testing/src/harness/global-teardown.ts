import { loadTools } from './load-tools';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __commerceStarted?: string[] }).__commerceStarted ?? [];
  if (started.length === 0) return;
  await loadTools().stopRegistered(started);
  console.log(`[harness] stopped ${started.join(', ')}`);
}
