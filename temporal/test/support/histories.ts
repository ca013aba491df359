import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporalCli, testEndpoints } from '@commerce/testing';
import type { WorkflowHandle } from '@temporalio/client';

/** Recorded histories the replay test runs the current workflow code against. */
export const HISTORIES_DIR = join(__dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=<name>[,<name>...], the workflow tests save the histories of those runs
 * for the replay test, exported with the `temporal` CLI exactly as an operator would export a
 * production history. Named one by one, because a history recorded before a patch must never be
 * overwritten by a run of the patched code. Re-record only on purpose; CI replays what is committed.
 */
export function saveHistoryIfRecording(name: string, handle: WorkflowHandle): Promise<void> {
  const names = (process.env.RECORD_HISTORIES ?? '').split(',').map((n) => n.trim());
  if (!names.includes(name)) return Promise.resolve();
  const json = execFileSync(
    temporalCli(),
    [
      'workflow',
      'show',
      '--address',
      testEndpoints.temporalAddress,
      '--workflow-id',
      handle.workflowId,
      '--output',
      'json',
    ],
    { encoding: 'utf8' },
  );
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), json.endsWith('\n') ? json : `${json}\n`);
  return Promise.resolve();
}
