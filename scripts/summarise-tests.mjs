// Prints one closing line, "N passed, N failed", over the Vitest and Playwright JSON reports.
// Exits non-zero if a report is missing, anything failed (errors outside the tests count), or any test was skipped.
import { existsSync, readFileSync } from 'node:fs';

const [unitPath, e2ePath] = process.argv.slice(2);
let passed = 0,
  failed = 0,
  skipped = 0;
let missing = false;

if (existsSync(unitPath)) {
  const unit = JSON.parse(readFileSync(unitPath, 'utf8'));
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += unit.numPendingTests + (unit.numTodoTests ?? 0);
  if (unit.numFailedTestSuites) failed += unit.numFailedTestSuites;
} else missing = true;

if (existsSync(e2ePath)) {
  const e2e = JSON.parse(readFileSync(e2ePath, 'utf8'));
  passed += e2e.stats.expected;
  failed += e2e.stats.unexpected + e2e.stats.flaky;
  skipped += e2e.stats.skipped;
  // Errors outside any test (a web server that could not start, a broken config) run no test at all.
  for (const error of e2e.errors ?? []) console.log(`e2e error outside the tests: ${error.message?.split('\n')[0]}`);
  failed += e2e.errors?.length ?? 0;
} else missing = true;

if (missing) console.log('a test report is missing: a test stage did not run');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || skipped > 0 || missing || passed === 0 ? 1 : 0);
