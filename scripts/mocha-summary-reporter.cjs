// Mocha reporter: the usual `spec` output, plus a JSON summary of the counts written
// to $ATRACE_SUMMARY so scripts/test-all.mjs can total every stage into one line.
'use strict';
const fs = require('node:fs');
const m = require('mocha');
const Mocha = m.default || m.Mocha || m;
const Spec = Mocha.reporters.Spec;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const out = process.env.ATRACE_SUMMARY;
      if (!out) return;
      const s = runner.stats || {};
      fs.writeFileSync(out, JSON.stringify({ passed: s.passes || 0, failed: s.failures || 0, skipped: s.pending || 0 }));
    });
  }
}
module.exports = SummaryReporter;
