// Prints vitest's totals as one plain closing line ("N passed, N failed, N skipped") so any CI reader
// can count the run, and exits with the test run's own status.
import { readFileSync } from 'node:fs';

const [file, status] = process.argv.slice(2);
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.error(`test summary: no vitest report at ${file}`);
  process.exit(Number(status) || 1);
}
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(Number(status) || (report.numFailedTests > 0 ? 1 : 0));
