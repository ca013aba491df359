import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { quietTemporalRuntime } from '@commerce/testing';
import { HISTORIES_DIR } from '../support/histories';
import { bundleFromSource } from '../support/workflow-env';

/**
 * Determinism guard: the current workflow code must replay every recorded history (a success, a
 * decline, a cancel, an approval) exactly. A change that would break running checkouts fails here.
 */
describe('checkoutWorkflow replays recorded histories', () => {
  let workflowBundle: WorkflowBundleWithSourceMap;
  const files = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json'));

  beforeAll(async () => {
    quietTemporalRuntime();
    workflowBundle = await bundleFromSource();
  }, 120_000);

  it('has the recorded histories', () => {
    // success.json predates the analytics step (patched), success-analytics.json includes it.
    // The five without a prefix ran reserve, review, charge, confirm, commit; authorise-first-*
    // run the revised order (patch `authorise-before-review`, issue 13). Both must replay.
    expect(files.sort()).toEqual([
      'approval.json',
      'authorise-first-approval.json',
      'authorise-first-cancel.json',
      'authorise-first-decline.json',
      'authorise-first-success.json',
      'authorise-first-webhook.json',
      'cancel.json',
      'decline.json',
      'success-analytics.json',
      'success.json',
    ]);
  });

  it.each(files)('replays %s without a nondeterminism error', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')));
    await expect(
      Worker.runReplayHistory({ workflowBundle }, history, `replay-${file}`),
    ).resolves.toBeUndefined();
  });
});
