// Prints one plain closing line per Jest run, e.g. "unit: 95 passed, 0 failed", as the very last
// line of output, which CI tooling reads independently of Jest's own summary format.
'use strict';

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const projects = new Set(
      results.testResults.map((r) => r.displayName?.name).filter((name) => Boolean(name)),
    );
    const label = [...projects].sort().join('+') || 'tests';
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped ? `, ${skipped} skipped` : '';
    const line = `${label}: ${results.numPassedTests} passed, ${failed} failed${tail}`;
    // Jest's default reporter prints its summary after ours; print at exit to come last.
    process.once('exit', () => process.stdout.write(`\n${line}\n`));
  }
}

module.exports = SummaryReporter;
