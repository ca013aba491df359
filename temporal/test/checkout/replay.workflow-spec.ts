import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { taskQueuePrefixOf } from '@commerce/contracts';
import { CURRENT_STEPS } from '@commerce/workflows';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { type InjectedSinks, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { quietTemporalRuntime } from '@commerce/testing';
import { HISTORIES_DIR } from '../support/histories';
import { LOCAL, type ScheduledActivitySinks } from '../support/scheduled-activities.interceptor';
import { bundleFromSource } from '../support/workflow-env';

const OBSERVER = join(__dirname, '..', 'support', 'scheduled-activities.interceptor.ts');

interface HistoryJson {
  events: {
    workflowExecutionStartedEventAttributes?: { taskQueue: { name: string } };
    activityTaskScheduledEventAttributes?: {
      activityType: { name: string };
      taskQueue: { name: string };
    };
    markerRecordedEventAttributes?: {
      markerName: string;
      details?: Record<string, { payloads: { data: string }[] }>;
    };
  }[];
}

const read = (file: string) =>
  JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as HistoryJson;

/** `activity@queue` for every activity a history scheduled, the queue without the run's prefix. */
function recordedQueues(json: HistoryJson): string[] {
  const started = json.events.find((e) => e.workflowExecutionStartedEventAttributes);
  const prefix = taskQueuePrefixOf(
    started!.workflowExecutionStartedEventAttributes!.taskQueue.name,
  );
  const pairs = json.events.flatMap(({ activityTaskScheduledEventAttributes: scheduled }) =>
    scheduled
      ? [`${scheduled.activityType.name}@${scheduled.taskQueue.name.slice(prefix.length)}`]
      : [],
  );
  return [...new Set(pairs)].sort();
}

/** The patch ids a history recorded, in order. */
const patchMarkers = (json: HistoryJson) =>
  json.events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .flatMap((e) => Object.values(e.markerRecordedEventAttributes!.details ?? {}))
    .map(({ payloads }) => (JSON.parse(atob(payloads[0]!.data)) as { id: string }).id);

/** How many local activities a history recorded (each leaves one marker). */
const localActivityMarkers = (json: HistoryJson) =>
  json.events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
    .length;

const isLocal = (pair: string) => pair.endsWith(`@${LOCAL}`);

/**
 * Determinism guard: the current workflow code must replay every recorded history (a success, a
 * decline, a cancel, an approval) exactly. A change that would break running checkouts fails here.
 * The bundle carries an interceptor that only observes which queue each activity is scheduled on
 * (no command of its own), since replay by itself does not compare queues.
 */
describe('checkoutWorkflow replays recorded histories', () => {
  let workflowBundle: WorkflowBundleWithSourceMap;
  const files = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json'));

  /** Replays one history; resolves to `activity@queue` for every activity the code scheduled. */
  async function replay(file: string): Promise<string[]> {
    const scheduled = new Set<string>();
    const history = historyFromJSON(read(file));
    const sinks: InjectedSinks<ScheduledActivitySinks> = {
      scheduled: {
        activity: {
          // The replay worker's own queue has no prefix, so neither have these queues.
          fn: (_info, activityType, taskQueue) => {
            scheduled.add(`${activityType}@${taskQueue}`);
          },
          callDuringReplay: true,
        },
      },
    };
    await Worker.runReplayHistory({ workflowBundle, sinks }, history, `replay-${file}`);
    return [...scheduled].sort();
  }

  beforeAll(async () => {
    quietTemporalRuntime();
    workflowBundle = await bundleFromSource([OBSERVER]);
  }, 120_000);

  it('has the recorded histories', () => {
    // success.json predates the analytics step (patched), success-analytics.json includes it.
    // The five without a prefix ran reserve, review, charge, confirm, commit; authorise-first-*
    // run the revised order (patch `authorise-before-review`, issue 13); analytics-queue-success
    // records the order's outcome on the analytics queue (patch ANALYTICS_QUEUE), the others on
    // the notifications queue; local-order-records-success runs the happy path's records in the
    // orders service as local activities (patch LOCAL_ORDER_RECORDS), the others on the orders
    // queue; authorise-first-reject was rejected before operators were recorded by id (patch
    // OPERATOR_IDS); current-steps-success records the one marker that stands for all of those
    // (CURRENT_STEPS). All must replay.
    expect(files.sort()).toEqual([
      'analytics-queue-success.json',
      'approval.json',
      'authorise-first-approval.json',
      'authorise-first-cancel.json',
      'authorise-first-decline.json',
      'authorise-first-reject.json',
      'authorise-first-success.json',
      'authorise-first-webhook.json',
      'cancel.json',
      'current-steps-success.json',
      'decline.json',
      'local-order-records-success.json',
      'success-analytics.json',
      'success.json',
    ]);
  });

  it.each(files)(
    'replays %s without a nondeterminism error, each activity on its recorded queue',
    async (file) => {
      const scheduled = await replay(file);
      expect(scheduled.filter((pair) => !isLocal(pair))).toEqual(recordedQueues(read(file)));
    },
  );

  it('keeps recordOrderOutcome on the notifications queue for runs started before the move', async () => {
    const before = 'authorise-first-success.json';
    expect(recordedQueues(read(before))).toContain('recordOrderOutcome@notifications');
    const replayed = await replay(before);
    expect(replayed).toContain('recordOrderOutcome@notifications');
    expect(replayed).not.toContain('recordOrderOutcome@analytics');
  });

  it('replays a run started after the move with recordOrderOutcome on the analytics queue', async () => {
    const after = 'analytics-queue-success.json';
    expect(recordedQueues(read(after))).toContain('recordOrderOutcome@analytics');
    const replayed = await replay(after);
    expect(replayed).toContain('recordOrderOutcome@analytics');
    expect(replayed).not.toContain('recordOrderOutcome@notifications');
  });

  it('keeps the order records on the orders queue for runs started before they went local', async () => {
    const before = read('analytics-queue-success.json');
    expect(recordedQueues(before)).toEqual(
      expect.arrayContaining(['setOrderStatus@orders', 'confirmOrder@orders']),
    );
    expect(localActivityMarkers(before)).toBe(0);
    const replayed = await replay('analytics-queue-success.json');
    expect(replayed).toEqual(
      expect.arrayContaining(['setOrderStatus@orders', 'confirmOrder@orders']),
    );
    expect(replayed.filter(isLocal)).toEqual([]);
  });

  it('replays a run started after LOCAL_ORDER_RECORDS with its records as local activities', async () => {
    const after = read('local-order-records-success.json');
    // Three status moves and the confirmation; nothing of the orders service on its queue.
    expect(localActivityMarkers(after)).toBe(4);
    expect(recordedQueues(after).filter((pair) => pair.endsWith('@orders'))).toEqual([]);
    const replayed = await replay('local-order-records-success.json');
    expect(replayed.filter(isLocal)).toEqual([`confirmOrder@${LOCAL}`, `setOrderStatus@${LOCAL}`]);
    expect(replayed.filter((pair) => pair.endsWith('@orders'))).toEqual([]);
  });

  it('replays a run of CURRENT_STEPS: one marker, every patched branch taken', async () => {
    const current = read('current-steps-success.json');
    expect(patchMarkers(current)).toEqual([CURRENT_STEPS]);
    // The runs before it recorded one marker per change, and still replay (above).
    expect(patchMarkers(read('local-order-records-success.json'))).toEqual([
      'record-order-outcome-on-analytics-queue',
      'authorise-before-review',
      'order-records-as-local-activities',
      'analytics-order-outcome',
    ]);
    const replayed = await replay('current-steps-success.json');
    expect(replayed.filter(isLocal)).toEqual([`confirmOrder@${LOCAL}`, `setOrderStatus@${LOCAL}`]);
    expect(replayed).toContain('recordOrderOutcome@analytics');
    expect(replayed).toContain('capturePayment@payments');
    expect(replayed.filter((pair) => pair.endsWith('@orders'))).toEqual([]);
  });
});
