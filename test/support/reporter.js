// Mocha's spec reporter, plus closing lines in the plain form CI tools read:
// "N passed, N failed" (", N skipped" when any were pending), the slowest test files (where CI time goes),
// and — if anything still keeps the process alive once the run has ended — what it is, before ending the run
// anyway so that a leaked server or child can never hold CI until its time limit.
'use strict';
/* global setTimeout */
const { reporters } = require('mocha');

const LINGER_MS = 20_000;
const SLOWEST = 12;

class SpecWithSummary extends reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const perFile = new Map();
    runner.on('test end', (test) => {
      const file = test.file ?? '(unknown file)';
      perFile.set(file, (perFile.get(file) ?? 0) + (test.duration ?? 0));
    });
    runner.on('hook end', (hook) => {
      const file = hook.file ?? hook.parent?.file;
      if (file && hook.duration) perFile.set(file, (perFile.get(file) ?? 0) + hook.duration);
    });
    runner.once('end', () => {
      const s = runner.stats;
      const slow = [...perFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST);
      if (slow.length > 1) {
        process.stdout.write('\nslowest test files:\n');
        for (const [file, ms] of slow)
          process.stdout.write(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${file.replace(process.cwd() + '/', '')}\n`);
      }
      const skipped = s.pending ? `, ${s.pending} skipped` : '';
      process.stdout.write(`${s.passes} passed, ${s.failures} failed${skipped}\n`);
      const code = Math.min(s.failures, 255);
      setTimeout(() => {
        const left = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'Timeout');
        process.stderr.write(
          `the run ended ${LINGER_MS / 1000} s ago but the process is still kept alive by: ${left.join(', ') || '(timers)'} — a test leaked it; ending now\n`,
        );
        process.exit(code || 1);
      }, LINGER_MS).unref();
    });
  }
}

module.exports = SpecWithSummary;
